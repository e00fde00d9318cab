import { type OfferProvider, providerOf } from '../provider-of.ts';

/**
 * A TMDb watch provider → our provider. TMDb's ids are JustWatch's package ids for most services
 * (EXTERNAL-APIS.md §4), but not all (Paramount+ is 531 in TMDb, 2303/2616 in JustWatch), so the
 * registry lists each source's ids explicitly (`packages/domain/src/providers/provider-data.ts`).
 * A provider the registry does not know is kept as `tmdb-provider-<id>` under TMDb's name and logo.
 */
export function tmdbProvider(p: {
  provider_id: number;
  provider_name: string;
  logo_path?: string | null | undefined;
}): OfferProvider | undefined {
  return providerOf('tmdb', p.provider_id, {
    name: p.provider_name,
    logo: p.logo_path ? `https://image.tmdb.org/t/p/original${p.logo_path}` : undefined,
  });
}
