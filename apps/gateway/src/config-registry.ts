import { AUTH_SETTINGS } from '@media-gateway/auth/settings';
import { CATALOG_SETTINGS } from '@media-gateway/catalog/settings';
import { parse, type Setting, setting } from '@media-gateway/domain';
import { RECOMMEND_SETTINGS } from '@media-gateway/recommend/settings';
import { SEARCH_SETTINGS } from '@media-gateway/search/settings';
import { SYNC_SETTINGS } from '@media-gateway/sync/settings';
import { ALERT_SETTINGS } from './alerts/alert-config.ts';
import { IMAGE_SETTINGS } from './images/image-config.ts';
import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Every environment variable the program reads, with its check and its documentation: the
 * gateway's own below, then each package's list (a package owns the variables of its own options).
 * The README's configuration table is generated from this list (`npm run docs:config`; CI checks it
 * is current), and `loadConfig` validates all of them at start, listing every problem at once: a bad
 * value, or an MG_* name we do not know (with the closest known name), never a silent default.
 */
export const PORT = setting('PORT', parse.int(0, 65535), 'HTTP port (`--port`)', '`3000`');
export const HOST = setting('HOST', parse.text, 'interface to listen on (`--host`)', '`localhost`');
/** A URL of one of `schemes` ("postgres:"): `http://…` is a URL too, but no database. */
const urlOf = (...schemes: string[]) =>
  parse.url.refine(
    (u) => URL.canParse(u) && schemes.includes(new URL(u).protocol),
    `must be a ${schemes.map((s) => `${s}//`).join(' or ')} URL`,
  );

export const DATABASE_URL = setting(
  'DATABASE_URL',
  urlOf('postgres:', 'postgresql:'),
  'PostgreSQL 15+ connection string; unset = embedded PGlite',
);
export const REDIS_URL = setting(
  'REDIS_URL',
  urlOf('redis:', 'rediss:'),
  'Redis for cross-replica fan-out, sessions, shared rate limits and instant revocation (decisions 0034–0036)',
);
export const MG_DATA_DIR = setting(
  'MG_DATA_DIR',
  parse.text,
  'where embedded data lives (`pglite/`, indexes)',
  '`./data`',
);
export const MG_PUBLIC_URL = setting(
  'MG_PUBLIC_URL',
  parse.url,
  'public base URL (OAuth issuer, links in manifests); https turns on HSTS',
  '`http://HOST:PORT`',
);
export const MG_SAMPLE_CATALOG = setting(
  'MG_SAMPLE_CATALOG',
  z.enum(['auto', 'off']),
  '`off` to start with an empty catalog',
  '`auto`',
);
export const MG_ROLE = setting(
  'MG_ROLE',
  z.enum(['all', 'api', 'worker']),
  '`api`, `worker` or `all` (`--role`)',
  '`all`',
);
export const LOG_LEVEL = setting(
  'LOG_LEVEL',
  z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  'pino level',
  '`info`',
);
export const MG_WEB_DIST = setting(
  'MG_WEB_DIST',
  parse.text,
  'where the built web app is served from',
  '`apps/web/dist`',
);
export const MG_API_RATE_LIMIT = setting(
  'MG_API_RATE_LIMIT',
  parse.int(0, 1_000_000),
  'requests per minute per signed-in user on `/api` and `/mcp` (an MCP tool call counts twice: the call and the API request it makes; `0` = off); ' +
    'shared through Redis; 429 with `Retry-After` and `RateLimit-*` headers',
  '`300`',
);
export const MG_API_RATE_LIMIT_ANONYMOUS = setting(
  'MG_API_RATE_LIMIT_ANONYMOUS',
  parse.int(0, 1_000_000),
  'the same per client address without a token',
  '`300`',
);
export const MG_TRUSTED_PROXIES = setting(
  'MG_TRUSTED_PROXIES',
  parse.list(isIpOrCidr, 'IP addresses or CIDR ranges'),
  'reverse proxies (IPs or CIDRs, comma-separated) whose `X-Forwarded-For` ' +
    'names the client; unset = forwarded headers are ignored',
);
export const MG_RETENTION_EVENTS_DAYS = setting(
  'MG_RETENTION_EVENTS_DAYS',
  parse.int(0, 36_500),
  'feedback events older than this are deleted by the worker’s daily sweep (`0` = kept); see docs/privacy.md',
  '`730`',
);
export const MG_RETENTION_AUDIT_DAYS = setting(
  'MG_RETENTION_AUDIT_DAYS',
  parse.int(0, 36_500),
  'audit entries older than this are deleted by the same sweep (`0` = kept)',
  '`365`',
);
export const MG_ALLOWED_HOSTS = setting(
  'MG_ALLOWED_HOSTS',
  parse.list((s) => /^[A-Za-z0-9.:[\]-]+$/.test(s), 'host names'),
  'extra Host names `/mcp` accepts besides localhost, 127.0.0.1 and the public host (DNS-rebinding protection)',
);
export const MG_ARW_RATE_LIMIT = setting(
  'MG_ARW_RATE_LIMIT',
  parse.int(1, 1_000_000),
  'requests per minute per IP on the ARW machine views (`AI-Rate-Limit`)',
  '`120`',
);
export const MG_WORKER_TICK_SECONDS = setting(
  'MG_WORKER_TICK_SECONDS',
  parse.int(1, 86_400),
  'how often the worker looks for due runs',
  '`60`',
);

export const MG_DRAIN_DELAY_SECONDS = setting(
  'MG_DRAIN_DELAY_SECONDS',
  parse.int(0, 300),
  'on SIGTERM, how long `/readyz` answers 503 while requests are still served, ' +
    'so a load balancer stops sending new ones before the server stops listening (SIGINT skips it)',
  '`3`',
);
export const MG_SHUTDOWN_TIMEOUT_SECONDS = setting(
  'MG_SHUTDOWN_TIMEOUT_SECONDS',
  parse.int(1, 3600),
  'the process exits (code 1) if draining takes longer than this; keep it under the orchestrator’s grace period',
  '`25`',
);

export const OTEL_EXPORTER_OTLP_ENDPOINT = setting(
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  parse.url,
  'OpenTelemetry: send traces over OTLP/HTTP to this collector (`/v1/traces` is appended); unset = tracing off',
);
export const OTEL_SERVICE_NAME = setting(
  'OTEL_SERVICE_NAME',
  parse.text,
  'the service name on those traces',
  '`media-gateway`',
);

function isIpOrCidr(s: string): boolean {
  const [ip, bits, extra] = s.split('/');
  if (extra !== undefined || !ip || isIP(ip) === 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return Number.isInteger(n) && n >= 0 && n <= (isIP(ip) === 4 ? 32 : 128);
}

const GATEWAY_SETTINGS: Setting[] = [
  PORT,
  HOST,
  DATABASE_URL,
  REDIS_URL,
  MG_DATA_DIR,
  MG_PUBLIC_URL,
  MG_SAMPLE_CATALOG,
  MG_ROLE,
  LOG_LEVEL,
  MG_WEB_DIST,
  MG_API_RATE_LIMIT,
  MG_API_RATE_LIMIT_ANONYMOUS,
  MG_TRUSTED_PROXIES,
  MG_RETENTION_EVENTS_DAYS,
  MG_RETENTION_AUDIT_DAYS,
  MG_ALLOWED_HOSTS,
  MG_ARW_RATE_LIMIT,
  MG_WORKER_TICK_SECONDS,
  MG_DRAIN_DELAY_SECONDS,
  MG_SHUTDOWN_TIMEOUT_SECONDS,
  OTEL_EXPORTER_OTLP_ENDPOINT,
  OTEL_SERVICE_NAME,
];

export const SETTINGS: Setting[] = [
  ...GATEWAY_SETTINGS,
  ...AUTH_SETTINGS,
  ...SYNC_SETTINGS,
  ...SEARCH_SETTINGS,
  ...RECOMMEND_SETTINGS,
  ...CATALOG_SETTINGS,
  ...ALERT_SETTINGS,
  ...IMAGE_SETTINGS,
];

/** MG_* variables that belong to the CLI, tests and tools rather than the server. */
const OTHER_MG = new Set([
  'MG_URL',
  'MG_TOKEN',
  'MG_CONFIG_DIR',
  'MG_DATASETS',
  'MG_TEST_BACKENDS',
  'MG_TEST_BROWSER',
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

/**
 * A value as a problem shows it: secrets (passwords, keys, tokens) not at all, and a URL's password masked, since
 * start-up errors go to the log collector in compose or Kubernetes.
 */
export function shownValue(name: string, value: string): string {
  const hidden = `(${value.length} characters, not shown)`;
  if (/PASSWORD|SECRET|PRIVATE_KEY|API_KEY|TOKEN/.test(name)) return hidden;
  // A connection string may hold a password in any form ("host=db password=…", "u:p@ss@host"): shown only when it
  // parses as a URL, with the password replaced.
  if (/_URL$/.test(name)) {
    if (!URL.canParse(value)) return hidden;
    const url = new URL(value);
    if (url.password) url.password = '***';
    return JSON.stringify(url.toString().slice(0, 80));
  }
  return JSON.stringify(value.slice(0, 80));
}

/** Every problem with `env`: invalid values of known settings and unknown MG_* names. */
export function checkSettings(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value === '') continue;
    const setting = BY_NAME.get(name);
    if (setting) {
      const r = setting.schema.safeParse(value);
      if (!r.success) problems.push(`${name}=${shownValue(name, value)}: ${r.error.issues[0]?.message ?? 'invalid'}`);
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
