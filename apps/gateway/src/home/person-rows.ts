import type { UserSettings } from '@media-gateway/catalog';
import type { Recommendation, RecommenderService } from '@media-gateway/recommend';
import { compareHlc, readProgress, readWatched, readWatchlist, type SyncHub } from '@media-gateway/sync';
import type { Candidate } from './home-types.ts';

/** What the person's sync document says: where they stopped, and what they want to watch. */
export interface PersonState {
  continueWatching: Candidate[];
  watchlist: Candidate[];
  /** Started or watched on any device (`startedOrWatchedTitles`). */
  startedOrWatched: string[];
}

/** Progress this close to the end counts as finished (credits), not as something to continue. */
const FINISHED_FRACTION = 0.95;

export async function readPersonState(hub: SyncHub, userId: string): Promise<PersonState> {
  return hub.read(userId, (doc) => {
    const watched = readWatched(doc);
    const continueWatching = [...readProgress(doc)]
      .filter(
        ([titleId, p]) =>
          p.positionSeconds > 0 &&
          !watched.get(titleId)?.watched &&
          (p.durationSeconds === null || p.positionSeconds < p.durationSeconds * FINISHED_FRACTION),
      )
      // Newest progress first: the hybrid logical clock orders edits from every device.
      .sort(([, a], [, b]) => compareHlc(b.hlc, a.hlc))
      .map(([titleId, p]) => ({
        titleId,
        progress: { positionSeconds: p.positionSeconds, durationSeconds: p.durationSeconds },
      }));
    const watchlist = readWatchlist(doc)
      .filter((i) => !i.watched)
      .map((i) => ({ titleId: i.titleId }));
    return { continueWatching, watchlist, startedOrWatched: startedOrWatchedIn(doc, watched) };
  });
}

/**
 * The titles the person has started or watched, on any device (progress, or marked watched): recommendations leave
 * them out. The recommender only hears the events clients send, and playback lives in the sync document, so without
 * this a series half watched was also offered "because you liked" something else.
 */
export async function startedOrWatchedTitles(hub: SyncHub, userId: string): Promise<string[]> {
  return hub.read(userId, (doc) => startedOrWatchedIn(doc));
}

function startedOrWatchedIn(doc: Parameters<typeof readProgress>[0], watched = readWatched(doc)): string[] {
  const out = new Set<string>();
  for (const [titleId, p] of readProgress(doc)) if (p.positionSeconds > 0) out.add(titleId);
  for (const [titleId, w] of watched) if (w.watched) out.add(titleId);
  return [...out];
}

/** One "because you liked X" row: the anchor title and the recommendations it explains. */
export interface BecauseRow {
  anchorId: string;
  anchorTitle: string;
  strength: 'liked' | 'watched' | 'picked';
  items: Candidate[];
}

/** How many "because you liked" rows the home shows at most (the strongest anchors). */
const BECAUSE_ROWS = 2;

/**
 * SONA recommendations whose reason is a title in the person's history, grouped by that title:
 * trending/new/popular reasons have rows of their own, so only "liked" reasons make these rows.
 */
export async function becauseRows(
  recommender: RecommenderService,
  userId: string,
  settings: UserSettings,
  /** Titles the person has started or watched (`startedOrWatchedTitles`): not recommended again. */
  exclude: readonly string[],
): Promise<BecauseRow[]> {
  const recs: Recommendation[] = await recommender.recommend(userId, settings, { limit: 60, exclude });
  const groups = new Map<string, BecauseRow>();
  for (const r of recs) {
    if (r.reason.kind !== 'liked') continue;
    let g = groups.get(r.reason.titleId);
    if (!g) {
      g = { anchorId: r.reason.titleId, anchorTitle: r.reason.title, strength: r.reason.strength, items: [] };
      groups.set(r.reason.titleId, g);
    }
    g.items.push({ titleId: r.titleId, why: r.why });
  }
  // Recommendations come best first, so the group met first holds the best-ranked title.
  return [...groups.values()].slice(0, BECAUSE_ROWS);
}
