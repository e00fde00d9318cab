export const SCOPES = [
  'catalog:read',
  'watchlist:read',
  'watchlist:write',
  'devices',
  'recommendations',
  'admin',
] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** Parses a space-separated scope string, dropping unknown scopes. */
export function parseScopes(raw: string | undefined | null): Scope[] {
  if (!raw) return [];
  return [...new Set(raw.split(/\s+/).filter(isScope))];
}
