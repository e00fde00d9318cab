export { freshDb, testBackends, type BackendName } from './fresh-db.ts';
export { datasetsDir, redisUrl, postgresUrl, commandOnPath, requestedBackends, IS_CI } from './env.ts';
export { startOidcUpstream, type OidcUpstream } from './oidc-upstream.ts';
export * from './contracts/index.ts';
