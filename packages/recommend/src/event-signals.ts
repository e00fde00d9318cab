/** The feedback events the API accepts and how strongly each says "more like this" (+) or "less" (−). */
export const EVENT_TYPES = [
  'view',
  'click',
  'play',
  'progress',
  'complete',
  'rating',
  'like',
  'dislike',
  'watchlist_add',
  'watchlist_remove',
  'search_click',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export interface FeedbackEvent {
  type: EventType;
  titleId: string;
  /** rating 1..5, progress 0..1; ignored otherwise. */
  value?: number | null | undefined;
  /** Milliseconds since the epoch. */
  at: number;
}

/**
 * Signal weight of one event. Explicit feedback outweighs implicit; a view or click is a weak
 * hint (people click on things they end up disliking); ratings are centred on 3 so a 1–2 is a
 * negative signal and a 4–5 a positive one.
 */
export function signalWeight(type: EventType, value?: number | null): number {
  switch (type) {
    case 'like':
      return 1;
    case 'dislike':
      return -1;
    case 'rating':
      return value === undefined || value === null ? 0 : (value - 3) / 2;
    case 'complete':
      return 0.8;
    case 'watchlist_add':
      return 0.6;
    case 'watchlist_remove':
      return -0.3;
    case 'play':
      return 0.4;
    case 'progress':
      return 0.2 + 0.4 * Math.min(1, Math.max(0, value ?? 0));
    case 'search_click':
      return 0.3;
    case 'click':
      return 0.15;
    case 'view':
      return 0.05;
  }
}

/** Events after which the title is no longer recommended to this person. */
export function excludesTitle(type: EventType, value?: number | null): boolean {
  return (
    type === 'complete' ||
    type === 'dislike' ||
    type === 'like' ||
    type === 'rating' ||
    (type === 'progress' && (value ?? 0) >= 0.9)
  );
}
