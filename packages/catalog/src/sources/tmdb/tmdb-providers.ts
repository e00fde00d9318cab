/**
 * TMDb watch-provider ids → our platform registry. TMDb's ids are JustWatch's package ids for most
 * services (EXTERNAL-APIS.md §4), but not all (Paramount+ is 531 in TMDb, 2303/2616 in JustWatch),
 * so this table is explicit. Providers not listed here have no registry entry and are skipped.
 */
export const TMDB_PROVIDER_PLATFORM: Readonly<Record<number, string>> = {
  8: 'netflix',
  9: 'prime-video', // Amazon Prime Video (subscription)
  10: 'prime-video', // Amazon Video (store: rent/buy)
  119: 'prime-video', // Amazon Prime Video, non-US regions
  337: 'disney-plus',
  15: 'hulu',
  1899: 'max',
  384: 'max', // HBO Max (older id)
  350: 'apple-tv-plus',
  2: 'apple-tv-plus', // Apple TV store
  531: 'paramount-plus',
  386: 'peacock',
  387: 'peacock',
  192: 'youtube',
  188: 'youtube', // YouTube Premium
};
