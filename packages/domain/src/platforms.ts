/**
 * The platform registry: ids, names, aliases people type, homepages, regions where the service
 * operates, and link templates. `direct` links are built only from a platform-native id
 * (`nativeTemplate`); otherwise the link is the platform's own search page for the title.
 */
export interface Platform {
  id: string;
  name: string;
  aliases: readonly string[];
  homepage: string;
  regions: readonly string[];
  /** `{id}` is the platform's own content id; `{kind}` is movie|series in the platform's words. */
  nativeTemplate?: string;
  /** `{q}` is the URL-encoded title. */
  searchTemplate: string;
}

export const PLATFORMS: readonly Platform[] = [
  {
    id: 'netflix',
    name: 'Netflix',
    aliases: ['netflix', 'nflx'],
    homepage: 'https://www.netflix.com',
    regions: ['US', 'CA', 'GB', 'IE', 'AU', 'NZ', 'IN', 'DE', 'FR', 'ES', 'IT', 'NL', 'BR', 'MX', 'JP', 'KR'],
    nativeTemplate: 'https://www.netflix.com/title/{id}',
    searchTemplate: 'https://www.netflix.com/search?q={q}',
  },
  {
    id: 'prime-video',
    name: 'Prime Video',
    aliases: ['prime video', 'amazon prime video', 'amazon prime', 'prime', 'amazon', 'primevideo'],
    homepage: 'https://www.primevideo.com',
    regions: ['US', 'CA', 'GB', 'IE', 'AU', 'NZ', 'IN', 'DE', 'FR', 'ES', 'IT', 'NL', 'BR', 'MX', 'JP'],
    nativeTemplate: 'https://www.primevideo.com/detail/{id}/',
    searchTemplate: 'https://www.primevideo.com/search/?phrase={q}',
  },
  {
    id: 'disney-plus',
    name: 'Disney+',
    aliases: ['disney+', 'disney plus', 'disneyplus', 'disney'],
    homepage: 'https://www.disneyplus.com',
    regions: ['US', 'CA', 'GB', 'IE', 'AU', 'NZ', 'DE', 'FR', 'ES', 'IT', 'NL', 'BR', 'MX', 'JP', 'KR'],
    nativeTemplate: 'https://www.disneyplus.com/browse/entity-{id}',
    searchTemplate: 'https://www.disneyplus.com/search?q={q}',
  },
  {
    id: 'hulu',
    name: 'Hulu',
    aliases: ['hulu'],
    homepage: 'https://www.hulu.com',
    regions: ['US'],
    nativeTemplate: 'https://www.hulu.com/{kind}/{id}',
    searchTemplate: 'https://www.hulu.com/search?q={q}',
  },
  {
    id: 'max',
    name: 'Max',
    aliases: ['max', 'hbo max', 'hbomax', 'hbo'],
    homepage: 'https://www.max.com',
    regions: ['US', 'MX', 'BR', 'ES', 'NL'],
    nativeTemplate: 'https://play.hbomax.com/{kind}/{id}',
    searchTemplate: 'https://play.hbomax.com/search?q={q}',
  },
  {
    id: 'apple-tv-plus',
    name: 'Apple TV+',
    aliases: ['apple tv+', 'apple tv plus', 'apple tv', 'appletv', 'apple'],
    homepage: 'https://tv.apple.com',
    regions: ['US', 'CA', 'GB', 'IE', 'AU', 'NZ', 'IN', 'DE', 'FR', 'ES', 'IT', 'NL', 'BR', 'MX', 'JP', 'KR'],
    nativeTemplate: 'https://tv.apple.com/{region}/{kind}/{id}',
    searchTemplate: 'https://tv.apple.com/search?term={q}',
  },
  {
    id: 'paramount-plus',
    name: 'Paramount+',
    aliases: ['paramount+', 'paramount plus', 'paramount'],
    homepage: 'https://www.paramountplus.com',
    regions: ['US', 'CA', 'GB', 'IE', 'AU', 'DE', 'FR', 'IT', 'BR', 'MX'],
    nativeTemplate: 'https://www.paramountplus.com/movies/video/{id}/',
    searchTemplate: 'https://www.paramountplus.com/search/?q={q}',
  },
  {
    id: 'peacock',
    name: 'Peacock',
    aliases: ['peacock', 'peacock tv'],
    homepage: 'https://www.peacocktv.com',
    regions: ['US'],
    searchTemplate: 'https://www.peacocktv.com/search?q={q}',
  },
  {
    id: 'youtube',
    name: 'YouTube',
    aliases: ['youtube', 'yt', 'youtube movies'],
    homepage: 'https://www.youtube.com',
    regions: ['US', 'CA', 'GB', 'IE', 'AU', 'NZ', 'IN', 'DE', 'FR', 'ES', 'IT', 'NL', 'BR', 'MX', 'JP', 'KR'],
    nativeTemplate: 'https://www.youtube.com/watch?v={id}',
    searchTemplate: 'https://www.youtube.com/results?search_query={q}',
  },
];

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

export type LinkKind = 'direct' | 'search';

/** The platform's search page for a title: always honest, never pretends to be the title itself. */
export function searchLink(platform: Platform, title: string): string {
  return platform.searchTemplate.replace('{q}', encodeURIComponent(title));
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
  if (!platform.nativeTemplate) return undefined;
  const kindWord = platform.id === 'apple-tv-plus' ? (kind === 'movie' ? 'movie' : 'show') : kind;
  return platform.nativeTemplate
    .replace('{id}', encodeURIComponent(nativeId))
    .replace('{kind}', kindWord)
    .replace('{region}', region.toLowerCase());
}
