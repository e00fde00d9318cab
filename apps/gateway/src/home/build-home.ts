import {
  loadOffers,
  loadTitleImages,
  type OfferView,
  SAMPLE_DATA,
  SAMPLE_SOURCE,
  type StalenessPolicy,
  TITLE_COLUMNS,
  type TitleRow,
  toSummary,
  type UserSettings,
} from '@media-gateway/catalog';
import type { Db } from '@media-gateway/db';
import type { RecommenderService, TrendStore } from '@media-gateway/recommend';
import type { SyncHub } from '@media-gateway/sync';
import type { ReadCache } from '../read-cache.ts';
import { type CatalogRows, loadCatalogRows } from './catalog-rows.ts';
import type { Candidate, HomeItem, HomeRow, HomeRowId, HomeScope } from './home-types.ts';
import { ROW_LIMIT } from './home-types.ts';
import { becauseRows, readPersonState } from './person-rows.ts';
import { pickOffer } from './pick-offer.ts';

export interface HomeDeps {
  db: Db;
  readCache: ReadCache;
  trends: TrendStore;
  staleness: StalenessPolicy;
  now: number;
  sync: () => Promise<SyncHub>;
  recommender: () => RecommenderService;
}

/** Who asks: nobody (the region's catalog), or a person with the scopes their token carries. */
export interface HomeViewer {
  userId: string;
  settings: UserSettings;
  canReadWatchlist: boolean;
  canRecommend: boolean;
}

export interface HomeView {
  region: string;
  /** The person's services the rows are limited to; null = every service in the region. */
  services: string[] | null;
  signedIn: boolean;
  rows: HomeRow[];
  sampleData?: typeof SAMPLE_DATA;
}

interface RowPlan {
  id: HomeRowId;
  title: string;
  description: string;
  candidates: Candidate[];
  /** Continue watching keeps a title with no offer on the person's services (they started it somewhere). */
  offerOptional?: boolean;
}

const STRENGTH_VERB = { liked: 'liked', watched: 'watched', picked: 'picked' } as const;

async function popularCandidates(deps: HomeDeps, scope: HomeScope, catalog: CatalogRows): Promise<Candidate[]> {
  // What people on this server are into lately (decayed trend scores, several people's worth), then
  // the sources' popularity hint.
  const trending = await deps.trends.scores(
    deps.db,
    scope.region,
    scope.platforms ?? catalog.regionPlatforms,
    deps.now,
  );
  return [...[...trending.keys()].map((titleId) => ({ titleId })), ...catalog.popularByHint];
}

async function planRows(deps: HomeDeps, scope: HomeScope, viewer: HomeViewer | undefined): Promise<RowPlan[]> {
  const key = `home:${scope.region}:${scope.platforms?.join(',') ?? '*'}`;
  const catalog = await deps.readCache.get(key, () => loadCatalogRows(deps.db, scope, deps.now));
  const yours = scope.platforms !== null;
  const plans: RowPlan[] = [];
  // One read of the sync document serves the person's rows and what recommendations leave out.
  const state =
    viewer && (viewer.canReadWatchlist || viewer.canRecommend)
      ? await readPersonState(await deps.sync(), viewer.userId)
      : undefined;
  if (viewer?.canReadWatchlist && state) {
    plans.push({
      id: 'continue-watching',
      title: 'Continue watching',
      description: 'Where you stopped, on any of your devices, newest first.',
      candidates: state.continueWatching,
      offerOptional: true,
    });
    plans.push({
      id: 'watchlist-available',
      title: 'On your watchlist, now available',
      description: yours
        ? `Titles on your watchlist that one of your services offers in ${scope.region}.`
        : `Titles on your watchlist that a service offers in ${scope.region}.`,
      candidates: state.watchlist,
    });
  }
  if (viewer?.canRecommend && state) {
    for (const row of await becauseRows(deps.recommender(), viewer.userId, viewer.settings, state.startedOrWatched)) {
      const verb = STRENGTH_VERB[row.strength];
      plans.push({
        id: `because-${row.anchorId}`,
        title: `Because you ${verb} ${row.anchorTitle}`,
        description: `Recommended for you from what you ${verb}, on your services.`,
        candidates: row.items,
      });
    }
  }
  plans.push({
    id: 'popular',
    title: yours ? 'Popular on your services' : `Popular in ${scope.region}`,
    description:
      'What people on this server have been watching lately, then the ' +
      "sources' popularity figures; titles with neither are left out.",
    candidates: await popularCandidates(deps, scope, catalog),
  });
  plans.push({
    id: 'new-this-month',
    title: yours ? 'New on your services this month' : `New in ${scope.region} this month`,
    description:
      'Added in the last 30 days, by the date the source gave, ' +
      'or first listed by a live source that had already swept that catalog.',
    candidates: catalog.fresh,
  });
  plans.push({
    id: 'leaving-soon',
    title: 'Leaving soon',
    description: 'The source gave a leave date within the next 30 days.',
    candidates: catalog.leaving,
  });
  return plans;
}

async function summaries(db: Db, ids: string[]) {
  if (ids.length === 0) return new Map<string, ReturnType<typeof toSummary>>();
  const { rows } = await db.query<TitleRow>(`SELECT ${TITLE_COLUMNS} FROM titles t WHERE t.id = ANY($1)`, [ids]);
  return new Map(rows.map((r) => [r.id, toSummary(r)]));
}

/**
 * The home rows for a region and a person's services: each row a rule over real data, each card
 * with the offer that earned its place and when its source saw it. Empty rows are left out.
 */
export async function buildHome(deps: HomeDeps, scope: HomeScope, viewer: HomeViewer | undefined): Promise<HomeView> {
  const plans = await planRows(deps, scope, viewer);
  // Only what the rows can show is loaded: the first candidates of each (some may have ended).
  const ids = [...new Set(plans.flatMap((p) => p.candidates.slice(0, ROW_LIMIT * 2).map((c) => c.titleId)))];
  const [titles, offers, images] = await Promise.all([
    summaries(deps.db, ids),
    loadOffers(deps.db, ids, scope.region, deps.now, deps.staleness),
    loadTitleImages(deps.db, ids),
  ]);
  let fromSample = false;
  const rows: HomeRow[] = [];
  for (const plan of plans) {
    const items: HomeItem[] = [];
    const seen = new Set<string>();
    for (const c of plan.candidates) {
      if (items.length >= ROW_LIMIT) break;
      const title = titles.get(c.titleId);
      if (!title || seen.has(c.titleId)) continue;
      const all: OfferView[] = offers.get(c.titleId) ?? [];
      const offer = pickOffer(all, scope.platforms, c.offer) ?? (plan.offerOptional ? pickOffer(all, null) : null);
      if (!offer && !plan.offerOptional) continue;
      seen.add(c.titleId);
      if (offer?.source === SAMPLE_SOURCE) fromSample = true;
      items.push({
        ...title,
        cover: `/api/titles/${title.id}/cover.svg`,
        poster: images.get(title.id)?.find((i) => i.kind === 'poster') ?? null,
        offer,
        ...(c.why ? { why: c.why } : {}),
        ...(c.progress ? { progress: c.progress } : {}),
      });
    }
    if (items.length > 0) rows.push({ id: plan.id, title: plan.title, description: plan.description, items });
  }
  return {
    region: scope.region,
    services: scope.platforms,
    signedIn: viewer !== undefined,
    rows,
    ...(fromSample ? { sampleData: SAMPLE_DATA } : {}),
  };
}
