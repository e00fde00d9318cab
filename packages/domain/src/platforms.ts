/**
 * The provider ("platform") registry: every real service or store we know, as data
 * (`providers/provider-data.ts`), with the source ids that map to it. `direct` links are built only
 * from a platform-native id and a known template; otherwise the link is the platform's own search
 * page for the title, or none when we know no search page (decision 0073).
 *
 * A provider a source reports that is not here is kept under an id derived from the source's own
 * id (`tmdb-provider-1825`), shown under the name the source gave (`derivedProviderId`).
 */
import {
  PROVIDER_DATA,
  type ProviderData,
  type ProviderKind,
  type ProviderSourceIds,
} from './providers/provider-data.ts';

export type { ProviderKind, ProviderSourceIds };
export type Platform = ProviderData;

export const PLATFORMS: readonly Platform[] = PROVIDER_DATA;

const BY_ID = new Map(PLATFORMS.map((p) => [p.id, p]));
const BY_ALIAS = new Map<string, Platform>();
for (const p of PLATFORMS) {
  BY_ALIAS.set(p.id, p);
  BY_ALIAS.set(p.name.toLowerCase(), p);
  for (const a of p.aliases) BY_ALIAS.set(a, p);
}

export function getPlatform(id: string): Platform | undefined {
  return BY_ID.get(id);
}

/** Resolves what a person or a source calls a service ("Disney Plus", "amazon") to the registry entry. */
export function findPlatform(nameOrAlias: string): Platform | undefined {
  return BY_ALIAS.get(nameOrAlias.trim().toLowerCase().replace(/\s+/g, ' '));
}

/** The live sources whose provider ids the registry maps. */
export type ProviderSource = 'tmdb' | 'justwatch' | 'watchmode' | 'streaming-availability';

const SOURCE_FIELD: Readonly<Record<ProviderSource, keyof ProviderSourceIds>> = {
  tmdb: 'tmdb',
  justwatch: 'justwatch',
  watchmode: 'watchmode',
  'streaming-availability': 'streamingAvailability',
};

const BY_SOURCE_ID = new Map<string, Platform>();
for (const p of PLATFORMS) {
  for (const [source, field] of Object.entries(SOURCE_FIELD)) {
    for (const id of p.sourceIds[field] ?? []) BY_SOURCE_ID.set(`${source}|${id}`, p);
  }
}

/**
 * The registry provider a source's own provider id stands for. Streaming Availability names one
 * service for both a subscription and a store (`apple`), so its id may be qualified by the offer
 * type the way its `catalogs` parameter is (`apple.rent`), and the qualified form wins.
 */
export function providerForSource(
  source: ProviderSource,
  sourceId: string | number,
  type?: string,
): Platform | undefined {
  return (
    (type ? BY_SOURCE_ID.get(`${source}|${sourceId}.${type}`) : undefined) ?? BY_SOURCE_ID.get(`${source}|${sourceId}`)
  );
}

const DERIVED_PREFIX: Readonly<Record<ProviderSource, string>> = {
  tmdb: 'tmdb-provider-',
  justwatch: 'justwatch-package-',
  watchmode: 'watchmode-source-',
  'streaming-availability': 'sa-service-',
};

/**
 * The id of a provider the registry does not know, derived from the source's own id: stable across
 * runs, never mistaken for a registry id, and at most 40 characters. Undefined when the source's id
 * has nothing usable in it.
 */
export function derivedProviderId(source: ProviderSource, sourceId: string | number): string | undefined {
  const slug = String(sourceId)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!slug) return undefined;
  return `${DERIVED_PREFIX[source]}${slug}`.slice(0, 40);
}

/** True for ids made by `derivedProviderId` (and only for them: registry ids never take these prefixes). */
export function isDerivedProviderId(id: string): boolean {
  return Object.values(DERIVED_PREFIX).some((prefix) => id.startsWith(prefix));
}

export type LinkKind = 'direct' | 'search' | 'none';

/**
 * The platform's search page for a title: always honest, never pretends
 * to be the title itself. Undefined without a known search page.
 */
export function searchLink(platform: Platform, title: string): string | undefined {
  return platform.searchTemplate?.replace('{q}', encodeURIComponent(title));
}

/**
 * A direct link from the platform's own content id. Returns undefined when the platform has no
 * template; callers must never pass an id that is not the platform's own (catalog row numbers are not).
 */
export function directLink(
  platform: Platform,
  nativeId: string,
  kind: 'movie' | 'series',
  region = 'US',
): string | undefined {
  const template = kind === 'series' ? (platform.seriesTemplate ?? platform.nativeTemplate) : platform.nativeTemplate;
  if (!template) return undefined;
  const kindWord = platform.kindWords?.[kind] ?? kind;
  return template
    .replace('{id}', encodeURIComponent(nativeId))
    .replace('{kind}', kindWord)
    .replace('{region}', region.toLowerCase());
}
