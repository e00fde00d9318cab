/** Where the rows look: a region and the person's platforms there (null = every platform). */
export interface HomeScope {
  region: string;
  /** The person's services; null when they named none or nobody is signed in. */
  platforms: string[] | null;
}

/** An offer a row is about, by its identity; the row shows exactly this one. */
export interface OfferKey {
  platform: string;
  source: string;
  monetization: string;
}

/** A title a row wants to show, before its facts and offer are loaded. */
export interface Candidate {
  titleId: string;
  offer?: OfferKey;
  why?: string;
  progress?: { positionSeconds: number; durationSeconds: number | null };
}

/** The wire shapes of GET /api/home are the contracts' (`HomeView`, `HomeRow`, `HomeItem`). */
export type { HomeItem, HomeRow } from '@media-gateway/domain/contracts';

export type HomeRowId =
  | 'continue-watching'
  | 'watchlist-available'
  | `because-${string}`
  | 'popular'
  | 'new-this-month'
  | 'leaving-soon';

/** Most titles a row carries. */
export const ROW_LIMIT = 20;
/** "New this month" and "leaving soon" look this far back and ahead. */
export const WINDOW_DAYS = 30;
export const DAY_MS = 86_400_000;
