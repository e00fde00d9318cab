import type { OfferView } from '@media-gateway/catalog';
import type { TitleImage, TitleSummary } from '@media-gateway/domain/contracts';

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

export interface HomeItem extends TitleSummary {
  /** A generated cover (GET /api/titles/:id/cover.svg): never broken, even without artwork. */
  cover: string;
  /** The source poster through our proxy, with its credit and when the source saw it; null without artwork. */
  poster: TitleImage | null;
  /** The offer that puts the title in this row, with when its source saw it (`lastSeen`, `age`). */
  offer: OfferView | null;
  why?: string;
  progress?: { positionSeconds: number; durationSeconds: number | null };
}

export type HomeRowId =
  | 'continue-watching'
  | 'watchlist-available'
  | `because-${string}`
  | 'popular'
  | 'new-this-month'
  | 'leaving-soon';

export interface HomeRow {
  id: HomeRowId;
  title: string;
  /** One sentence on what puts a title in this row (the rule, for people who wonder). */
  description: string;
  items: HomeItem[];
}

/** Most titles a row carries. */
export const ROW_LIMIT = 20;
/** "New this month" and "leaving soon" look this far back and ahead. */
export const WINDOW_DAYS = 30;
export const DAY_MS = 86_400_000;
