/**
 * Whether an error means the database could not be reached or dropped the connection (a restart, a
 * failover, a full pool), as opposed to a query it refused. The first is worth a retry shortly and
 * maps to 503; the second is a bug or a bad value.
 */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
// SQLSTATE 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, 53300 too_many_connections.
const SERVER_STATES = new Set(['57P01', '57P02', '57P03', '53300']);
// node-postgres reports a lost or never-made connection by message only.
const PG_MESSAGES = [
  /^Connection terminated/,
  /connection error and is not queryable/,
  /timeout exceeded when trying to connect/,
  /^Client was closed and is not queryable/,
];

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const { code, message, cause } = error as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof code === 'string') {
    if (CONNECTION_CODES.has(code) || SERVER_STATES.has(code) || code.startsWith('08')) return true;
  }
  if (typeof message === 'string' && PG_MESSAGES.some((re) => re.test(message))) return true;
  // AggregateError (several addresses refused) and wrapped errors carry the reason inside.
  const inner = (error as { errors?: unknown[] }).errors;
  if (Array.isArray(inner) && inner.some((e) => isDatabaseUnavailable(e, depth + 1))) return true;
  return cause !== undefined && isDatabaseUnavailable(cause, depth + 1);
}
