import { type AuthSettings, authSettings, authSettingsProblems } from '@media-gateway/auth/settings';
import { type CatalogSettings, catalogSettings } from '@media-gateway/catalog/settings';
import { settingValues } from '@media-gateway/domain';
import { type RecommendSettings, recommendSettings } from '@media-gateway/recommend/settings';
import { type SearchSettings, searchSettings, searchSettingsProblems } from '@media-gateway/search/settings';
import { type SyncSettings, syncSettings } from '@media-gateway/sync/settings';
import { type AlertsConfig, alertSettingsProblems, alertsConfig } from './alerts/alert-config.ts';
import { type ImagesConfig, imagesConfig } from './images/image-config.ts';
import * as S from './config-registry.ts';

/**
 * The only place that reads the environment: every variable is checked against the settings
 * registry (the gateway's own and each package's), all problems are listed at once, and the
 * result is one typed object. Nothing else reads process.env; the README's table comes from the
 * same registry.
 */
export type GatewayConfig = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  dataDir: string;
  /** True when MG_DATA_DIR was set explicitly (then the search index is saved there even without PGlite). */
  dataDirExplicit: boolean;
  publicUrl: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  sampleCatalog: 'auto' | 'off';
  role: 'all' | 'api' | 'worker';
  /** Where the built web app is served from; unset = the workspace's apps/web/dist. */
  webDist: string | undefined;
  /** Per-minute request budgets on /api and /mcp; 0 turns a budget off. */
  apiRateLimit: { user: number; anonymous: number };
  /** Days feedback events and audit entries are kept (0 = forever). */
  retention: { eventsDays: number; auditDays: number };
  /** Proxies trusted for X-Forwarded-For (empty: none). */
  trustedProxies: string[];
  /** Extra Host names /mcp accepts (DNS-rebinding protection). */
  allowedHosts: string[];
  /** Requests per minute per IP on the ARW machine views. */
  arwRateLimit: number;
  /** How often the worker looks for due ingestion runs (seconds). */
  workerTickSeconds: number;
  /** SIGTERM: seconds /readyz fails before the server stops listening; then the hard limit for the whole drain. */
  shutdown: { drainDelaySeconds: number; timeoutSeconds: number };
  /** OpenTelemetry traces (off without an endpoint). */
  tracing: { endpoint: string | undefined; serviceName: string };
  auth: AuthSettings;
  sync: SyncSettings;
  search: SearchSettings;
  recommend: RecommendSettings;
  catalog: CatalogSettings;
  alerts: AlertsConfig;
  /** The artwork proxy (decision 0109). */
  images: ImagesConfig;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * The name links and the OAuth issuer use when MG_PUBLIC_URL is not set: "listen on every interface" (0.0.0.0, the
 * container's HOST) is no address a browser can open, so it is this machine by name.
 */
function reachableName(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '[::]') return 'localhost';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<GatewayConfig> = {},
): GatewayConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const problems = [
    ...S.checkSettings(cleaned),
    ...authSettingsProblems(cleaned),
    ...searchSettingsProblems(cleaned),
    ...alertSettingsProblems(cleaned),
  ].sort();
  if (problems.length > 0) throw new ConfigError(problems);
  const v = settingValues(cleaned);
  const port = overrides.port ?? v.get(S.PORT) ?? 3000;
  const host = overrides.host ?? v.get(S.HOST) ?? 'localhost';
  const dataDir = v.get(S.MG_DATA_DIR);
  return {
    port,
    host,
    databaseUrl: v.get(S.DATABASE_URL),
    redisUrl: v.get(S.REDIS_URL),
    dataDir: dataDir ?? './data',
    dataDirExplicit: dataDir !== undefined,
    publicUrl: (v.get(S.MG_PUBLIC_URL) ?? `http://${reachableName(host)}:${port}`).replace(/\/$/, ''),
    logLevel: v.get(S.LOG_LEVEL) ?? 'info',
    sampleCatalog: v.get(S.MG_SAMPLE_CATALOG) ?? 'auto',
    role: v.get(S.MG_ROLE) ?? 'all',
    webDist: v.get(S.MG_WEB_DIST),
    apiRateLimit: { user: v.get(S.MG_API_RATE_LIMIT) ?? 300, anonymous: v.get(S.MG_API_RATE_LIMIT_ANONYMOUS) ?? 300 },
    retention: {
      eventsDays: v.get(S.MG_RETENTION_EVENTS_DAYS) ?? 730,
      auditDays: v.get(S.MG_RETENTION_AUDIT_DAYS) ?? 365,
    },
    trustedProxies: v.get(S.MG_TRUSTED_PROXIES) ?? [],
    allowedHosts: v.get(S.MG_ALLOWED_HOSTS) ?? [],
    arwRateLimit: v.get(S.MG_ARW_RATE_LIMIT) ?? 120,
    workerTickSeconds: v.get(S.MG_WORKER_TICK_SECONDS) ?? 60,
    tracing: {
      endpoint: v.get(S.OTEL_EXPORTER_OTLP_ENDPOINT),
      serviceName: v.get(S.OTEL_SERVICE_NAME) ?? 'media-gateway',
    },
    shutdown: {
      drainDelaySeconds: v.get(S.MG_DRAIN_DELAY_SECONDS) ?? 3,
      timeoutSeconds: v.get(S.MG_SHUTDOWN_TIMEOUT_SECONDS) ?? 25,
    },
    auth: authSettings(v),
    sync: syncSettings(v),
    search: searchSettings(v),
    recommend: recommendSettings(v),
    catalog: catalogSettings(v),
    alerts: alertsConfig(v),
    images: imagesConfig(v),
    ...overrides,
  };
}
