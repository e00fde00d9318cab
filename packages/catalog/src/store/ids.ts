import { createHash } from 'node:crypto';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * Deterministic canonical id from the record that first created
 * the title (so a re-run after a crash creates the same id).
 */
export function titleIdFor(source: string, sourceKey: string): string {
  const digest = createHash('sha256').update(`${source}\u0000${sourceKey}`).digest();
  let out = '';
  for (let i = 0; i < 12; i++) out += BASE32[digest[i]! % 32];
  return `mg_${out}`;
}

/** JSON with sorted keys, so equal records always hash equal. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function recordHash(record: unknown): string {
  return createHash('sha1').update(stableJson(record)).digest('hex');
}
