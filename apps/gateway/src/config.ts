import { isIP } from 'node:net';
import { z } from 'zod';
import { checkSettings } from './config-registry.ts';

/**
 * The only place that reads the environment. Parsed once at start; every problem is listed.
 * Each variable is documented in the README's configuration table.
 */
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('localhost'),
  DATABASE_URL: z.string().url().optional(),
  REDIS_URL: z.string().url().optional(),
  MG_DATA_DIR: z.string().min(1).default('./data'),
  /** Public base URL: OAuth issuer and the links in manifests. Defaults to http://HOST:PORT. */
  MG_PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Load the bundled sample catalog when the catalog is empty (default on). */
  MG_SAMPLE_CATALOG: z.enum(['auto', 'off']).default('auto'),
  MG_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  /** Requests per minute per signed-in user on /api and /mcp (0 = no limit). */
  MG_API_RATE_LIMIT: z.coerce.number().int().min(0).max(1_000_000).default(300),
  /** Requests per minute per client address without a token on /api and /mcp (0 = no limit). */
  MG_API_RATE_LIMIT_ANONYMOUS: z.coerce.number().int().min(0).max(1_000_000).default(300),
  /** Days feedback events / audit entries are kept (0 = forever); the worker sweeps daily. */
  MG_RETENTION_EVENTS_DAYS: z.coerce.number().int().min(0).max(36_500).default(730),
  MG_RETENTION_AUDIT_DAYS: z.coerce.number().int().min(0).max(36_500).default(365),
  /**
   * Reverse proxies whose X-Forwarded-For we believe (comma-separated IPs or CIDRs). Unset: the
   * peer address is the client, and forwarded headers are ignored.
   */
  MG_TRUSTED_PROXIES: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    )
    .refine((list) => list.every(isIpOrCidr), 'must be IP addresses or CIDR ranges, comma-separated')
    .optional(),
});

function isIpOrCidr(s: string): boolean {
  const [ip, bits, extra] = s.split('/');
  if (extra !== undefined || !ip || isIP(ip) === 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return Number.isInteger(n) && n >= 0 && n <= (isIP(ip) === 4 ? 32 : 128);
}

export type GatewayConfig = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  dataDir: string;
  publicUrl: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  sampleCatalog: 'auto' | 'off';
  role: 'all' | 'api' | 'worker';
  /** Per-minute request budgets on /api and /mcp; 0 turns a budget off. */
  apiRateLimit: { user: number; anonymous: number };
  /** Days feedback events and audit entries are kept (0 = forever). */
  retention: { eventsDays: number; auditDays: number };
  /** Proxies trusted for X-Forwarded-For (empty: none). */
  trustedProxies: string[];
  /** Raw environment slice for feature modules that own their own variables (API keys, OIDC). */
  env: Readonly<Record<string, string | undefined>>;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<GatewayConfig> = {},
): GatewayConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const problems = checkSettings(cleaned);
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const name = String(i.path[0] ?? '');
      if (!problems.some((p) => p.startsWith(`${name}=`) || p.startsWith(`${name}:`)))
        problems.push(`${i.path.join('.')}: ${i.message}`);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const e = parsed.data;
  const port = overrides.port ?? e.PORT;
  const host = overrides.host ?? e.HOST;
  return {
    port,
    host,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    dataDir: e.MG_DATA_DIR,
    publicUrl: (e.MG_PUBLIC_URL ?? `http://${host}:${port}`).replace(/\/$/, ''),
    logLevel: e.LOG_LEVEL,
    sampleCatalog: e.MG_SAMPLE_CATALOG,
    role: e.MG_ROLE,
    apiRateLimit: { user: e.MG_API_RATE_LIMIT, anonymous: e.MG_API_RATE_LIMIT_ANONYMOUS },
    trustedProxies: e.MG_TRUSTED_PROXIES ?? [],
    retention: { eventsDays: e.MG_RETENTION_EVENTS_DAYS, auditDays: e.MG_RETENTION_AUDIT_DAYS },
    env: cleaned,
    ...overrides,
  };
}
