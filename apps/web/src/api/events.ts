import { api } from './api-client.ts';

export type FeedbackType = 'like' | 'dislike' | 'click' | 'watchlist_add' | 'watchlist_remove' | 'search_click';

function eventId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** POST /api/events: feedback that updates the person's recommendations at once. */
export function sendEvent(type: FeedbackType, titleId: string, surface: string): Promise<unknown> {
  const device = matchMedia('(max-width: 600px)').matches ? 'mobile' : 'desktop';
  return api('/api/events', { method: 'POST', body: { id: eventId(), type, titleId, context: { device, surface } } });
}
