import { pagedSource, shapeProblems } from '../../http/paged-listing.ts';
import { SourceHttp } from '../../http/source-http.ts';
import { MalformedResponseError } from '../../http/upstream-errors.ts';
import type { Cursor, LiveRunOptions, LiveSource, SourceConfig } from '../live-sources.ts';
import { mapJwNode } from './justwatch-mapper.ts';
import { JwNode, JwPopularResponse } from './justwatch-types.ts';

/** Undocumented limits: be polite (≤1–2 req/s). `first` ≳100 trips "operation complexity". */
export const JUSTWATCH_LIMITS = { ratePerSecond: 1.5, burst: 2 };
export const JUSTWATCH_PAGE = 40;
/** Entries above #1999 come back as an empty list. */
export const JUSTWATCH_CAP = 2000;
export const JUSTWATCH_INCREMENTAL_PAGES = 5;

const QUERY =
  `query GetPopularTitles($country: Country!, $language: Language!, $first: Int!, $offset: Int, ` +
  `$filter: TitleFilter) {
  popularTitles(country: $country, filter: $filter, first: $first, offset: $offset, ` +
  `sortBy: POPULAR, sortRandomSeed: 0) {
    edges { node { id objectType
      content(country: $country, language: $language) { title originalReleaseYear runtime shortDescription ` +
  `genres { shortName }
        externalIds { imdbId tmdbId } ageCertification scoring { imdbVotes }
        posterUrl(profile: S718, format: JPG) backdrops(profile: S1920, format: JPG) { backdropUrl } }
      offers(country: $country, platform: WEB) { monetizationType presentationType retailPriceValue currency ` +
  `availableTo standardWebURL
        package { packageId clearName technicalName shortName icon(profile: S100, format: PNG) } } } } } }`;

export function createJustwatchHttp(
  config: SourceConfig,
  overrides: Partial<ConstructorParameters<typeof SourceHttp>[0]> = {},
): SourceHttp {
  return new SourceHttp({ source: 'justwatch', baseUrl: config.baseUrl, ...JUSTWATCH_LIMITS, ...overrides });
}

/**
 * JustWatch (unofficial, opt-in): popular titles with their offers for the country, `first` +
 * `offset` paging up to the 2,000-entry cap. GraphQL reports errors in `errors[]` on HTTP 200,
 * so a page with errors is a failure, never an empty page.
 */
export function justwatchSource(
  config: SourceConfig,
  run: LiveRunOptions,
  options: { http?: SourceHttp } = {},
): LiveSource {
  const http = options.http ?? createJustwatchHttp(config);
  const lastOffset = run.mode === 'incremental' ? JUSTWATCH_PAGE * JUSTWATCH_INCREMENTAL_PAGES : JUSTWATCH_CAP;
  return pagedSource<unknown>(
    {
      base: 'justwatch',
      http,
      firstCursor: 0,
      skipPage: (c) => (typeof c === 'number' && c + JUSTWATCH_PAGE < lastOffset ? c + JUSTWATCH_PAGE : undefined),
      fetchPage: async (cursor: Cursor, signal) => {
        const offset = cursor as number;
        const body = await http.json('/graphql', {
          method: 'POST',
          body: {
            operationName: 'GetPopularTitles',
            query: QUERY,
            variables: { country: run.region, language: 'en', first: JUSTWATCH_PAGE, offset },
          },
          ...(signal ? { signal } : {}),
        });
        const parsed = JwPopularResponse.safeParse(body);
        if (!parsed.success)
          throw new MalformedResponseError('justwatch', `justwatch: page at offset ${offset} is not a GraphQL answer`);
        if (parsed.data.errors?.length) {
          throw new MalformedResponseError(
            'justwatch',
            `justwatch: GraphQL errors at offset ${offset}: ${parsed.data.errors
              .map((e) => e.message)
              .join('; ')
              .slice(0, 300)}`,
          );
        }
        const edges = parsed.data.data?.popularTitles.edges ?? [];
        const nextOffset = offset + JUSTWATCH_PAGE;
        const full = edges.length === JUSTWATCH_PAGE;
        const next = full && nextOffset < lastOffset ? nextOffset : undefined;
        const truncated =
          full && run.mode === 'full' && nextOffset >= JUSTWATCH_CAP
            ? `justwatch: stopped at its ${JUSTWATCH_CAP}-entry cap; titles beyond it are not listed`
            : undefined;
        return { items: edges.map((e) => e.node), next, ...(truncated ? { truncated } : {}) };
      },
      toRecord: async (raw) => {
        const parsed = JwNode.safeParse(raw);
        if (!parsed.success) return { problems: shapeProblems(parsed.error.issues, 'node.') };
        return mapJwNode(parsed.data, run.region);
      },
    },
    run,
  );
}
