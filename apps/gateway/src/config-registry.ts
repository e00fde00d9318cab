import { z } from 'zod';

/**
 * Every environment variable the program reads, with its check and its documentation. The README's
 * configuration table is generated from this list (`npm run docs:config`; CI checks it is current),
 * and `loadConfig` validates all of them at start, listing every problem at once: a bad value, or an
 * MG_* name we do not know (with the closest known name), never a silent default.
 */
export interface Setting {
  name: string;
  /** Shown in the README's Default column. */
  default: string;
  doc: string;
  schema: z.ZodType<unknown>;
}

const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^-?\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
const url = z.url({ message: 'must be a URL' });
const onOff = z.enum(['on', 'off'], { message: 'must be on or off' });
const text = z.string().min(1);
const csv = (check: (s: string) => boolean, what: string) =>
  z
    .string()
    .refine((s) => s.split(',').every((p) => p.trim() === '' || check(p.trim())), `must be ${what}, comma-separated`);

export const SETTINGS: Setting[] = [
  { name: 'PORT', default: '`3000`', doc: 'HTTP port (`--port`)', schema: int(0, 65535) },
  { name: 'HOST', default: '`localhost`', doc: 'interface to listen on (`--host`)', schema: text },
  {
    name: 'DATABASE_URL',
    default: 'unset',
    doc: 'PostgreSQL 15+ connection string; unset = embedded PGlite',
    schema: url,
  },
  {
    name: 'REDIS_URL',
    default: 'unset',
    doc: 'Redis for cross-replica fan-out, sessions, shared rate limits and instant revocation (decisions 0034–0036)',
    schema: url,
  },
  { name: 'MG_DATA_DIR', default: '`./data`', doc: 'where embedded data lives (`pglite/`, indexes)', schema: text },
  {
    name: 'MG_PUBLIC_URL',
    default: '`http://HOST:PORT`',
    doc: 'public base URL (OAuth issuer, links in manifests); https turns on HSTS',
    schema: url,
  },
  {
    name: 'MG_SAMPLE_CATALOG',
    default: '`auto`',
    doc: '`off` to start with an empty catalog',
    schema: z.enum(['auto', 'off']),
  },
  {
    name: 'MG_ROLE',
    default: '`all`',
    doc: '`api`, `worker` or `all` (`--role`)',
    schema: z.enum(['all', 'api', 'worker']),
  },
  {
    name: 'LOG_LEVEL',
    default: '`info`',
    doc: 'pino level',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  },
  { name: 'MG_WEB_DIST', default: '`apps/web/dist`', doc: 'where the built web app is served from', schema: text },
  {
    name: 'MG_API_RATE_LIMIT',
    default: '`300`',
    doc: 'requests per minute per signed-in user on `/api` and `/mcp` (`0` = off); shared through Redis; 429 with `Retry-After` and `RateLimit-*` headers',
    schema: int(0, 1_000_000),
  },
  {
    name: 'MG_API_RATE_LIMIT_ANONYMOUS',
    default: '`300`',
    doc: 'the same per client address without a token',
    schema: int(0, 1_000_000),
  },
  {
    name: 'MG_TRUSTED_PROXIES',
    default: 'unset',
    doc: 'reverse proxies (IPs or CIDRs, comma-separated) whose `X-Forwarded-For` names the client; unset = forwarded headers are ignored',
    schema: text,
  },
  {
    name: 'MG_RETENTION_EVENTS_DAYS',
    default: '`730`',
    doc: 'feedback events older than this are deleted by the worker’s daily sweep (`0` = kept); see docs/privacy.md',
    schema: int(0, 36_500),
  },
  {
    name: 'MG_RETENTION_AUDIT_DAYS',
    default: '`365`',
    doc: 'audit entries older than this are deleted by the same sweep (`0` = kept)',
    schema: int(0, 36_500),
  },
  {
    name: 'MG_LOCAL_ACCOUNTS',
    default: '`on`',
    doc: '`off` disables local email+password accounts (then sign in through `MG_OIDC_ISSUER`)',
    schema: onOff,
  },
  {
    name: 'MG_ADMIN_EMAIL',
    default: 'unset',
    doc: 'first run: creates this administrator when none exists',
    schema: z.email({ message: 'must be an email address' }),
  },
  {
    name: 'MG_ADMIN_PASSWORD',
    default: 'unset',
    doc: 'first run: that administrator’s password (≥ 10 characters)',
    schema: z.string().min(10, 'must be at least 10 characters'),
  },
  {
    name: 'MG_OIDC_ISSUER',
    default: 'unset',
    doc: 'upstream OpenID Connect provider (discovery URL base); callback `MG_PUBLIC_URL/auth/oidc/callback`',
    schema: url,
  },
  { name: 'MG_OIDC_CLIENT_ID', default: 'unset', doc: 'our client id at that provider', schema: text },
  { name: 'MG_OIDC_CLIENT_SECRET', default: 'unset', doc: 'our client secret at that provider', schema: text },
  {
    name: 'MG_AUTH_RATE_LIMIT_LOGIN',
    default: '`10`',
    doc: 'sign-in attempts per minute per IP and per email',
    schema: int(1, 1_000_000_000),
  },
  {
    name: 'MG_AUTH_RATE_LIMIT_TOKEN',
    default: '`120`',
    doc: 'token requests per minute per IP and per client',
    schema: int(1, 1_000_000_000),
  },
  {
    name: 'MG_AUTH_RATE_LIMIT_USER_CODE',
    default: '`10`',
    doc: 'device-code entries per minute per IP and per session',
    schema: int(1, 1_000_000_000),
  },
  {
    name: 'MG_AUTH_REVOCATION_POLL_MS',
    default: '`5000`',
    doc: 'how often a replica reloads revoked grants from the database (fallback to Redis pub/sub; `0` = off)',
    schema: int(0, 3_600_000),
  },
  {
    name: 'MG_ALLOWED_HOSTS',
    default: 'unset',
    doc: 'extra Host names `/mcp` accepts besides localhost, 127.0.0.1 and the public host (DNS-rebinding protection)',
    schema: text,
  },
  {
    name: 'MG_ARW_RATE_LIMIT',
    default: '`120`',
    doc: 'requests per minute per IP on the ARW machine views (`AI-Rate-Limit`)',
    schema: int(1, 1_000_000),
  },
  {
    name: 'MG_SYNC_PRESENCE_MS',
    default: '`10000`',
    doc: 'how often a replica repeats its devices’ presence on Redis (a replica silent for 3 periods counts as gone)',
    schema: int(100, 600_000),
  },
  {
    name: 'MG_SEARCH_INDEX',
    default: '`disk`',
    doc: '`memory` keeps the search vector index in memory only (else `MG_DATA_DIR/search/`)',
    schema: z.enum(['disk', 'memory']),
  },
  {
    name: 'MG_LLM_BASE_URL',
    default: 'unset',
    doc: 'optional OpenAI-compatible chat endpoint for search query understanding (falls back to the rules)',
    schema: url,
  },
  { name: 'MG_LLM_MODEL', default: 'unset', doc: 'the model name at that endpoint', schema: text },
  { name: 'MG_LLM_API_KEY', default: 'unset', doc: 'its API key', schema: text },
  { name: 'MG_LLM_TIMEOUT_MS', default: '`800`', doc: 'how long search waits for it', schema: int(50, 60_000) },
  {
    name: 'MG_RECS_RETRAIN_HOURS',
    default: '`24`',
    doc: 'retrain the recommendation base model at least this often',
    schema: int(1, 10_000),
  },
  {
    name: 'MG_RECS_RETRAIN_CATALOG_CHANGES',
    default: '`1000`',
    doc: '…or after this many catalog changes',
    schema: int(1, 100_000_000),
  },
  {
    name: 'MG_RECS_CHECK_MINUTES',
    default: '`10`',
    doc: 'how often the worker checks whether a retrain is due',
    schema: int(1, 10_000),
  },
  {
    name: 'MG_INGEST_REGIONS',
    default: '`US`',
    doc: 'regions the worker ingests live sources for',
    schema: csv((s) => /^[A-Za-z]{2}$/.test(s), 'two-letter region codes'),
  },
  {
    name: 'MG_INGEST_INCREMENTAL_MINUTES',
    default: '`60`',
    doc: 'live-source incremental schedule (worker role)',
    schema: int(1, 1_000_000),
  },
  {
    name: 'MG_INGEST_FULL_MINUTES',
    default: '`1440`',
    doc: 'live-source full sweep schedule (worker role)',
    schema: int(1, 1_000_000),
  },
  {
    name: 'MG_WORKER_TICK_SECONDS',
    default: '`60`',
    doc: 'how often the worker looks for due runs',
    schema: int(1, 86_400),
  },
  { name: 'TMDB_API_KEY', default: 'unset', doc: 'TMDb v3 key(s), comma-separated = rotation', schema: text },
  { name: 'TMDB_BEARER_TOKEN', default: 'unset', doc: 'TMDb v4 read token(s) (instead of the v3 key)', schema: text },
  { name: 'TMDB_BASE_URL', default: 'TMDb', doc: 'override the TMDb API endpoint', schema: url },
  { name: 'TMDB_EXPORTS_URL', default: 'TMDb', doc: 'override the TMDb daily-export host', schema: url },
  { name: 'WATCHMODE_API_KEY', default: 'unset', doc: 'Watchmode key(s)', schema: text },
  { name: 'WATCHMODE_BASE_URL', default: 'Watchmode', doc: 'override the Watchmode endpoint', schema: url },
  {
    name: 'STREAMING_AVAILABILITY_API_KEY',
    default: 'unset',
    doc: 'Streaming Availability v4 RapidAPI key(s)',
    schema: text,
  },
  {
    name: 'STREAMING_AVAILABILITY_BASE_URL',
    default: 'RapidAPI',
    doc: 'override the Streaming Availability endpoint',
    schema: url,
  },
  {
    name: 'JUSTWATCH_ENABLED',
    default: 'unset',
    doc: '`true` opts in to JustWatch’s unofficial GraphQL API',
    schema: z.enum(['true', 'false']),
  },
  { name: 'JUSTWATCH_BASE_URL', default: 'JustWatch', doc: 'override the JustWatch endpoint', schema: url },
  { name: 'YOUTUBE_API_KEY', default: 'unset', doc: 'YouTube Data API v3 key(s)', schema: text },
  { name: 'YOUTUBE_BASE_URL', default: 'YouTube', doc: 'override the YouTube endpoint', schema: url },
];

/** MG_* variables that belong to the CLI, tests and tools rather than the server. */
const OTHER_MG = new Set([
  'MG_URL',
  'MG_TOKEN',
  'MG_CONFIG_DIR',
  'MG_DATASETS',
  'MG_TEST_BACKENDS',
  'MG_CHROMIUM',
  'MG_FUZZ_REQUESTS',
  'MG_GATEWAY_URL',
]);

const BY_NAME = new Map(SETTINGS.map((s) => [s.name, s]));

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const keep = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = keep;
    }
  }
  return row[b.length]!;
}

/** The known name closest to `name`, when it is close enough to be a typo or a shortening. */
export function didYouMean(name: string): string | undefined {
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const known of [...BY_NAME.keys(), ...OTHER_MG]) {
    const d = known.startsWith(name) ? 1 : distance(name, known);
    if (d < bestScore) {
      bestScore = d;
      best = known;
    }
  }
  return best && bestScore <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}

/** Every problem with `env`: invalid values of known settings and unknown MG_* names. */
export function checkSettings(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value === '') continue;
    const setting = BY_NAME.get(name);
    if (setting) {
      const r = setting.schema.safeParse(value);
      if (!r.success)
        problems.push(`${name}=${JSON.stringify(value.slice(0, 80))}: ${r.error.issues[0]?.message ?? 'invalid'}`);
    } else if (name.startsWith('MG_') && !OTHER_MG.has(name)) {
      const hint = didYouMean(name);
      problems.push(`${name}: not a setting of this program${hint ? ` (did you mean ${hint}?)` : ''}`);
    }
  }
  return problems.sort();
}

/** The README's configuration table. */
export function settingsTable(): string {
  const rows = SETTINGS.map((s) => `| \`${s.name}\` | ${s.default} | ${s.doc} |`);
  return ['| Variable | Default | Meaning |', '|---|---|---|', ...rows].join('\n');
}
