/** Cache names the service worker uses for a person's answers and for catalog answers (sw.js). */
const PERSON_PREFIX = 'mg-person-';
const CATALOG = 'mg-catalog';

/**
 * Forgets what this browser kept offline for a signed-in person: their cached API answers (who they
 * are, settings, watchlist, home rows) and the catalog answers cached alongside (which titles they
 * looked at). Called on sign-out and whenever a grant is dropped, so the next person on this
 * browser never sees them. The page deletes the caches itself: the worker may not be running.
 */
export async function clearOfflineData(): Promise<void> {
  if (typeof caches === 'undefined') return;
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith(PERSON_PREFIX) || n === CATALOG).map((n) => caches.delete(n)));
  navigator.serviceWorker?.controller?.postMessage({ type: 'sign-out' });
}
