import { api } from '../api/api-client.ts';
import type { Platform } from '../api/types.ts';

let cache: Promise<Map<string, Platform>> | undefined;

/** The platform registry (names for ids), fetched once per page load. */
export function platforms(): Promise<Map<string, Platform>> {
  cache ??= api<{ platforms: Platform[] }>('/api/platforms', { auth: false }).then(
    (r) => new Map(r.platforms.map((p) => [p.id, p])),
    (e) => {
      cache = undefined;
      throw e;
    },
  );
  return cache;
}

export function platformName(map: Map<string, Platform> | undefined, id: string): string {
  return map?.get(id)?.name ?? id;
}
