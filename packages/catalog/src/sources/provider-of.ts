import { derivedProviderId, PLATFORMS, type ProviderSource, providerForSource } from '@media-gateway/domain';

/** Registry providers by their exact name (not by alias: "Amazon" must not pick the subscription for a store). */
const BY_NAME = new Map(PLATFORMS.map((p) => [p.name.toLowerCase(), p]));

export interface OfferProvider {
  platform: string;
  /** Only for providers the registry does not know: the name the source reported. */
  platformName?: string;
  /** The logo the source reported, for any provider (kept per source in `provider_logos`, decision 0109). */
  platformLogo?: string;
}

/**
 * The provider of an offer from a source's own provider id: the registry entry that id maps to, or
 * else a provider derived from the source's id and shown under the name the source reported, so
 * that no offer is dropped for an unknown provider (decision 0073). Undefined only when the source
 * gave no usable id at all. `matchName` also accepts a registry provider's exact name (Watchmode
 * and Streaming Availability ids we could not cite, e.g. Watchmode's "Peacock").
 */
export function providerOf(
  source: ProviderSource,
  sourceId: string | number,
  reported: { name: string; logo?: string | undefined; type?: string | undefined; matchName?: boolean },
): OfferProvider | undefined {
  let logo: string | undefined;
  try {
    logo = reported.logo ? new URL(reported.logo).toString() : undefined;
  } catch {
    logo = undefined;
  }
  const withLogo = logo ? { platformLogo: logo } : {};
  const known =
    providerForSource(source, sourceId, reported.type) ??
    (reported.matchName ? BY_NAME.get(reported.name.trim().toLowerCase()) : undefined);
  if (known) return { platform: known.id, ...withLogo };
  const id = derivedProviderId(source, sourceId);
  if (!id) return undefined;
  const name = reported.name.trim().slice(0, 200);
  return { platform: id, ...(name ? { platformName: name } : {}), ...withLogo };
}
