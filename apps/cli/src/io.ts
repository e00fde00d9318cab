import { DomainError, isDomainError } from '@media-gateway/domain';

/**
 * Exit codes: 0 ok, 1 unexpected failure, 2 bad usage or input, 3 not
 * found, 4 auth needed or refused, 5 upstream unavailable or conflict.
 */
export const EXIT = { OK: 0, FAILURE: 1, USAGE: 2, NOT_FOUND: 3, AUTH: 4, UNAVAILABLE: 5 } as const;

export class UsageError extends Error {}

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT.USAGE;
  if (isDomainError(error)) {
    switch (error.code) {
      case 'INVALID_INPUT':
      case 'PAYLOAD_TOO_LARGE':
        return EXIT.USAGE;
      case 'NOT_FOUND':
        return EXIT.NOT_FOUND;
      case 'UNAUTHENTICATED':
      case 'FORBIDDEN':
        return EXIT.AUTH;
      default:
        return EXIT.UNAVAILABLE;
    }
  }
  return EXIT.FAILURE;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Fixed-width table for people; --json is for programs. */
export function printTable(rows: Array<Record<string, unknown>>, columns: string[]): void {
  const cell = (v: unknown) => (v === null || v === undefined ? '' : Array.isArray(v) ? v.join(', ') : String(v));
  const widths = columns.map((c) => Math.min(48, Math.max(c.length, ...rows.map((r) => cell(r[c]).length))));
  const line = (values: string[]) =>
    values
      .map((v, i) => (v.length > widths[i]! ? `${v.slice(0, widths[i]! - 1)}…` : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${line(columns.map((c) => c.toUpperCase()))}\n`);
  for (const r of rows) process.stdout.write(`${line(columns.map((c) => cell(r[c])))}\n`);
}

export function notFound(what: string, id: string): DomainError {
  return new DomainError('NOT_FOUND', `No ${what} with id ${id}.`, { resource: what, id });
}
