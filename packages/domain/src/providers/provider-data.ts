/**
 * The provider registry as data: one entry per real service or store. Every source id below comes
 * from a citable place (decision 0073):
 *   - TMDb provider ids and logo paths: TMDb's provider directory (`GET /watch/providers/movie`) as
 *     dumped in ChaitanyaVootla/movie-browser `utils/watchProviders.ts` @ 6132d996, and our fixtures;
 *   - JustWatch package ids: EXTERNAL-APIS.md §4 (real US ids) and the JustWatch fixture;
 *   - Watchmode source ids: EXTERNAL-APIS.md §2, and real `/sources` rows in public code
 *     (pauCM-es/where-tv `spain-sources.js`: 371, 372, 387; ElanDeyan/cine_quest_app: 157);
 *   - Streaming Availability service ids: our fixtures and EXTERNAL-APIS.md §3 (`<service>.<type>`
 *     is SA's own catalog syntax, used here where one SA service is two of ours, e.g. `apple.rent`).
 * Ids we could not cite are not listed: an offer on them is kept under a provider derived from the
 * source's own id and name (see `provider-registry.ts`).
 *
 * Link templates exist only where a real URL format is known (EXTERNAL-APIS.md §6). Regions are
 * listed only where known; an empty list means "not known", not "nowhere".
 */

export type ProviderKind = 'subscription' | 'store' | 'free';

export interface ProviderSourceIds {
  tmdb?: readonly number[];
  justwatch?: readonly number[];
  watchmode?: readonly number[];
  /** SA service ids (`netflix`), or `<service>.<type>` where one SA service is two of ours. */
  streamingAvailability?: readonly string[];
}

export interface ProviderData {
  id: string;
  name: string;
  aliases: readonly string[];
  homepage: string;
  regions: readonly string[];
  kind: ProviderKind;
  /** Logo as the source that provides it serves it (TMDb `logo_path` on image.tmdb.org). */
  logo?: string;
  sourceIds: ProviderSourceIds;
  /** `{id}` is the platform's own content id; `{kind}` the platform's word for movie/series; `{region}` lower-case. */
  nativeTemplate?: string;
  /** When series pages have another shape than movie pages. */
  seriesTemplate?: string;
  /** The platform's words for movie and series in `{kind}` (default: movie / series). */
  kindWords?: { movie: string; series: string };
  /** `{q}` is the URL-encoded title. Absent when we know no search page: then there is no link. */
  searchTemplate?: string;
}

const tmdbLogo = (path: string) => `https://image.tmdb.org/t/p/original${path}`;
const WIDE = ['US', 'CA', 'GB', 'IE', 'AU', 'NZ', 'IN', 'DE', 'FR', 'ES', 'IT', 'NL', 'BR', 'MX', 'JP', 'KR'];

export const PROVIDER_DATA: readonly ProviderData[] = [
  // The nine services of the first registry keep their names, aliases, regions and templates.
  {
    id: 'netflix',
    name: 'Netflix',
    aliases: ['netflix', 'nflx'],
    homepage: 'https://www.netflix.com',
    regions: WIDE,
    kind: 'subscription',
    logo: tmdbLogo('/t2yyOv40HZeVlLjYsCsPHnWLk4W.jpg'),
    // 1796 "Netflix basic with Ads" is a plan of the same service.
    sourceIds: { tmdb: [8, 1796], justwatch: [8], watchmode: [203], streamingAvailability: ['netflix'] },
    nativeTemplate: 'https://www.netflix.com/title/{id}',
    searchTemplate: 'https://www.netflix.com/search?q={q}',
  },
  {
    id: 'prime-video',
    name: 'Prime Video',
    aliases: ['prime video', 'amazon prime video', 'amazon prime', 'prime', 'amazon', 'primevideo'],
    homepage: 'https://www.primevideo.com',
    regions: WIDE.filter((r) => r !== 'KR'),
    kind: 'subscription',
    logo: tmdbLogo('/emthp39XA2YScoYL1p0sdbAH2WA.jpg'),
    // 9 (US) and 119 (elsewhere) are the subscription; the rent/buy store is `amazon-video`.
    sourceIds: { tmdb: [9, 119], justwatch: [9], watchmode: [26], streamingAvailability: ['prime'] },
    nativeTemplate: 'https://www.primevideo.com/detail/{id}/',
    searchTemplate: 'https://www.primevideo.com/search/?phrase={q}',
  },
  {
    id: 'disney-plus',
    name: 'Disney+',
    aliases: ['disney+', 'disney plus', 'disneyplus', 'disney'],
    homepage: 'https://www.disneyplus.com',
    regions: WIDE.filter((r) => r !== 'IN'),
    kind: 'subscription',
    logo: tmdbLogo('/7rwgEs15tFwyR9NPQ5vpzxTj19Q.jpg'),
    sourceIds: { tmdb: [337], justwatch: [337], watchmode: [372], streamingAvailability: ['disney'] },
    nativeTemplate: 'https://www.disneyplus.com/browse/entity-{id}',
    searchTemplate: 'https://www.disneyplus.com/search?q={q}',
  },
  {
    id: 'hulu',
    name: 'Hulu',
    aliases: ['hulu'],
    homepage: 'https://www.hulu.com',
    regions: ['US'],
    kind: 'subscription',
    logo: tmdbLogo('/zxrVdFjIjLqkfnwyghnfywTn3Lh.jpg'),
    sourceIds: { tmdb: [15], justwatch: [15], watchmode: [157], streamingAvailability: ['hulu'] },
    nativeTemplate: 'https://www.hulu.com/{kind}/{id}',
    searchTemplate: 'https://www.hulu.com/search?q={q}',
  },
  {
    id: 'max',
    name: 'Max',
    aliases: ['max', 'hbo max', 'hbomax', 'hbo'],
    homepage: 'https://www.max.com',
    regions: ['US', 'MX', 'BR', 'ES', 'NL'],
    kind: 'subscription',
    logo: tmdbLogo('/6Q3ZYUNA9Hsgj6iWnVsw2gR5V6z.jpg'),
    // 384 is the older "HBO Max" id.
    sourceIds: { tmdb: [1899, 384], justwatch: [1899], watchmode: [387], streamingAvailability: ['hbo', 'max'] },
    // Max says /movie/{uuid} and /show/{uuid} (EXTERNAL-APIS.md §6), never /series/.
    nativeTemplate: 'https://play.hbomax.com/{kind}/{id}',
    kindWords: { movie: 'movie', series: 'show' },
    searchTemplate: 'https://play.hbomax.com/search?q={q}',
  },
  {
    id: 'apple-tv-plus',
    name: 'Apple TV+',
    aliases: ['apple tv+', 'apple tv plus', 'apple tv', 'appletv', 'apple'],
    homepage: 'https://tv.apple.com',
    regions: WIDE,
    kind: 'subscription',
    logo: tmdbLogo('/6uhKBfmtzFqOcLousHwZuzcrScK.jpg'),
    // The subscription only: Apple's rent/buy store (TMDb/JustWatch 2, Watchmode 349) is `apple-tv-store`.
    sourceIds: { tmdb: [350], justwatch: [350], watchmode: [371], streamingAvailability: ['apple'] },
    nativeTemplate: 'https://tv.apple.com/{region}/{kind}/{id}',
    kindWords: { movie: 'movie', series: 'show' },
    searchTemplate: 'https://tv.apple.com/search?term={q}',
  },
  {
    id: 'paramount-plus',
    name: 'Paramount+',
    aliases: ['paramount+', 'paramount plus', 'paramount'],
    homepage: 'https://www.paramountplus.com',
    regions: ['US', 'CA', 'GB', 'IE', 'AU', 'DE', 'FR', 'IT', 'BR', 'MX'],
    kind: 'subscription',
    logo: tmdbLogo('/xbhHHa1YgtpwhC8lb1NQ3ACVcLd.jpg'),
    // JustWatch splits the plans (Premium 2303, Essential 2616); TMDb 1770 is "Paramount+ with Showtime".
    sourceIds: { tmdb: [531, 1770], justwatch: [2303, 2616], streamingAvailability: ['paramount'] },
    // Movies are /movies/video/{contentId}/; shows are /shows/{slug}/ (EXTERNAL-APIS.md §6).
    nativeTemplate: 'https://www.paramountplus.com/movies/video/{id}/',
    seriesTemplate: 'https://www.paramountplus.com/shows/{id}/',
    searchTemplate: 'https://www.paramountplus.com/search/?q={q}',
  },
  {
    id: 'peacock',
    name: 'Peacock',
    aliases: ['peacock', 'peacock tv'],
    homepage: 'https://www.peacocktv.com',
    regions: ['US'],
    kind: 'subscription',
    logo: tmdbLogo('/8VCV78prwd9QzZnEm0ReO6bERDa.jpg'),
    sourceIds: { tmdb: [386, 387], justwatch: [386, 387], streamingAvailability: ['peacock'] },
    searchTemplate: 'https://www.peacocktv.com/search?q={q}',
  },
  {
    id: 'youtube',
    name: 'YouTube',
    aliases: ['youtube', 'yt', 'youtube movies'],
    homepage: 'https://www.youtube.com',
    regions: WIDE,
    kind: 'free',
    logo: tmdbLogo('/oIkQkEkwfmcG7IGpRR1NB8frZZM.jpg'),
    // 188 YouTube Premium and 235 "YouTube Free" are tiers of the same site.
    sourceIds: { tmdb: [192, 188, 235], justwatch: [192], watchmode: [344] },
    nativeTemplate: 'https://www.youtube.com/watch?v={id}',
    searchTemplate: 'https://www.youtube.com/results?search_query={q}',
  },

  // Stores: rent/buy, each its own provider (never folded into a subscription of the same brand).
  {
    id: 'apple-tv-store',
    name: 'Apple TV Store',
    aliases: ['apple tv store', 'itunes', 'apple itunes'],
    homepage: 'https://tv.apple.com',
    regions: WIDE,
    kind: 'store',
    logo: tmdbLogo('/peURlLlr8jggOwK53fJ5wdQl05y.jpg'),
    sourceIds: { tmdb: [2], justwatch: [2], watchmode: [349], streamingAvailability: ['apple.rent', 'apple.buy'] },
    // The store's titles live on tv.apple.com too (JustWatch's Apple TV Store URLs, EXTERNAL-APIS.md §4).
    nativeTemplate: 'https://tv.apple.com/{region}/{kind}/{id}',
    kindWords: { movie: 'movie', series: 'show' },
    searchTemplate: 'https://tv.apple.com/search?term={q}',
  },
  {
    id: 'amazon-video',
    name: 'Amazon Video',
    aliases: ['amazon video', 'amazon store'],
    homepage: 'https://www.primevideo.com',
    regions: [],
    kind: 'store',
    logo: tmdbLogo('/5NyLm42TmCqCMOZFvH4fcoSNKEW.jpg'),
    sourceIds: { tmdb: [10], justwatch: [10], watchmode: [24], streamingAvailability: ['prime.rent', 'prime.buy'] },
    // Rentals and purchases are sold on the same Prime Video detail pages (EXTERNAL-APIS.md §6).
    nativeTemplate: 'https://www.primevideo.com/detail/{id}/',
    searchTemplate: 'https://www.primevideo.com/search/?phrase={q}',
  },
  {
    id: 'google-play',
    name: 'Google Play Movies',
    aliases: ['google play', 'google play movies', 'google tv'],
    homepage: 'https://play.google.com/store/movies',
    regions: [],
    kind: 'store',
    logo: tmdbLogo('/tbEdFQDwx5LEVr8WpSeXQSIirVq.jpg'),
    sourceIds: { tmdb: [3], justwatch: [3], watchmode: [140] },
  },
  {
    id: 'fandango-at-home',
    name: 'Fandango at Home',
    aliases: ['fandango at home', 'vudu'],
    homepage: 'https://www.vudu.com',
    regions: ['US'],
    kind: 'store',
    logo: tmdbLogo('/21dEscfO8n1tL35k4DANixhffsR.jpg'),
    // 332 "VUDU Free" is the same store's free-with-ads shelf.
    sourceIds: { tmdb: [7, 332], justwatch: [7], watchmode: [307] },
  },
  {
    id: 'microsoft-store',
    name: 'Microsoft Store',
    aliases: ['microsoft store', 'microsoft movies'],
    homepage: 'https://www.microsoft.com/store/movies-and-tv',
    regions: [],
    kind: 'store',
    logo: tmdbLogo('/shq88b09gTBYC4hA7K7MUL8Q4zP.jpg'),
    sourceIds: { tmdb: [68], watchmode: [398] },
  },

  // Further subscription and free services, by TMDb id (JustWatch and Watchmode ids where cited).
  sub('starz', 'Starz', ['starz'], 'https://www.starz.com', '/eWp5LdR4p4uKL0wACBBXapDV2lB.jpg', [43]),
  sub('showtime', 'Showtime', ['showtime'], 'https://www.sho.com', '/4kL33LoKd99YFIaSOoOPMQOSw1A.jpg', [37]),
  sub('amc-plus', 'AMC+', ['amc+', 'amc plus'], 'https://www.amcplus.com', '/xlonQMSmhtA2HHwK3JKF9ghx7M8.jpg', [526]),
  sub(
    'mgm-plus',
    'MGM+',
    ['mgm+', 'mgm plus', 'epix'],
    'https://www.mgmplus.com',
    '/6A1gRIJqLfFHOoTvbTxDAbuU2nQ.jpg',
    [34],
  ),
  sub(
    'crunchyroll',
    'Crunchyroll',
    ['crunchyroll'],
    'https://www.crunchyroll.com',
    '/8Gt1iClBlzTeQs8WQm8UrCoIxnQ.jpg',
    [283],
  ),
  sub('mubi', 'MUBI', ['mubi'], 'https://mubi.com', '/bVR4Z1LCHY7gidXAJF5pMa4QrDS.jpg', [11]),
  sub(
    'criterion-channel',
    'Criterion Channel',
    ['criterion channel', 'the criterion channel', 'criterion'],
    'https://www.criterionchannel.com',
    '/scMgbnNpkzdvhhqlQV3EjmByBXF.jpg',
    [258],
  ),
  // TMDb lists BritBox under two ids (151 and 380).
  sub('britbox', 'BritBox', ['britbox'], 'https://www.britbox.com', '/aGIS8maihUm60A3moKYD9gfYHYT.jpg', [151, 380]),
  sub(
    'acorn-tv',
    'Acorn TV',
    ['acorn tv', 'acorntv', 'acorn'],
    'https://acorn.tv',
    '/5P99DkK1jVs95KcE8bYG9MBtGQ.jpg',
    [87],
  ),
  sub('shudder', 'Shudder', ['shudder'], 'https://www.shudder.com', '/pheENW1BxlexXX1CKJ4GyWudyMA.jpg', [99]),
  sub('fubo', 'fuboTV', ['fubotv', 'fubo'], 'https://www.fubo.tv', '/jPXksae158ukMLFhhlNvzsvaEyt.jpg', [257]),
  sub(
    'curiosity-stream',
    'Curiosity Stream',
    ['curiosity stream', 'curiositystream'],
    'https://curiositystream.com',
    '/67Ee4E6qOkQGHeUTArdJ1qRxzR2.jpg',
    [190],
  ),
  // TMDb lists Discovery+ under two ids (510 and 524).
  sub(
    'discovery-plus',
    'Discovery+',
    ['discovery+', 'discovery plus'],
    'https://www.discoveryplus.com',
    '/wYRiUqIgWcfUvO6OPcXuUNd4tc2.jpg',
    [510, 524],
  ),
  sub('bet-plus', 'BET+', ['bet+', 'bet plus'], 'https://www.bet.plus', '/eZVDDqlBHpuk8GELhQchRIkA6th.jpg', [1759]),
  sub(
    'sundance-now',
    'Sundance Now',
    ['sundance now'],
    'https://www.sundancenow.com',
    '/pZ9TSk3wlRYwiwwRxTsQJ7t2but.jpg',
    [143],
  ),
  free('tubi', 'Tubi', ['tubi', 'tubi tv', 'tubitv'], 'https://tubitv.com', '/w2TDH9TRI7pltf5LjN3vXzs7QbN.jpg', [73]),
  free('pluto-tv', 'Pluto TV', ['pluto tv', 'plutotv'], 'https://pluto.tv', '/t6N57S17sdXRXmZDAkaGP0NHNG0.jpg', [300]),
  free(
    'roku-channel',
    'The Roku Channel',
    ['the roku channel', 'roku channel'],
    'https://therokuchannel.roku.com',
    '/z0h7mBHwm5KfMB2MKeoQDD2ngEZ.jpg',
    [207],
  ),
  free('kanopy', 'Kanopy', ['kanopy'], 'https://www.kanopy.com', '/wbCleYwRFpUtWcNi7BLP3E1f6VI.jpg', [191]),
  free('hoopla', 'Hoopla', ['hoopla'], 'https://www.hoopladigital.com', '/aJ0b9BLU1Cvv5hIz9fEhKKc1x1D.jpg', [212]),
  free('plex', 'Plex', ['plex'], 'https://www.plex.tv', '/swMyOSh6p3ZOTr76yPV6EyQFTik.jpg', [538]),
  free(
    'freevee',
    'Freevee',
    ['freevee', 'amazon freevee'],
    'https://www.amazon.com/freevee',
    '/uBE4RMH15mrkuz6vXzuJc7ZLXp1.jpg',
    [613],
  ),
  free('crackle', 'Crackle', ['crackle'], 'https://www.crackle.com', '/7P2JHkfv4AmU2MgSPGaJ0z6nNLG.jpg', [12]),
];

function sub(
  id: string,
  name: string,
  aliases: string[],
  homepage: string,
  logoPath: string,
  tmdb: number[],
): ProviderData {
  return {
    id,
    name,
    aliases,
    homepage,
    regions: [],
    kind: 'subscription',
    logo: tmdbLogo(logoPath),
    sourceIds: { tmdb },
  };
}

function free(
  id: string,
  name: string,
  aliases: string[],
  homepage: string,
  logoPath: string,
  tmdb: number[],
): ProviderData {
  return { ...sub(id, name, aliases, homepage, logoPath, tmdb), kind: 'free' };
}
