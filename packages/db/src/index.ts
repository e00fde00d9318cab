export type { Db, Queryable, QueryResult } from './db.ts';
export { createDb, type CreateDbOptions } from './create-db.ts';
export { migrate, MIGRATIONS_DIR } from './migrate.ts';
export { openPglite, fromPglite } from './pglite-db.ts';
export { openPostgres, type PostgresOptions } from './postgres-db.ts';
export { acquireLock, DataDirInUseError, readLock, updateLock, releaseLock, type LockInfo } from './data-dir-lock.ts';
export { buildTemplate, loadTemplate, templatePath } from './pglite-template.ts';
export { isDatabaseUnavailable } from './unavailable.ts';
