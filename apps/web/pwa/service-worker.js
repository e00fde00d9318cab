// Media Gateway's service worker (decision 0108). Built into dist/sw.js by scripts/pwa-plugin.ts,
// which fills in the version and the list of files this build produced. Served from "/" with
// Cache-Control: no-cache, so browsers check for a new worker on every visit.
//
// - The app shell (index.html and the hashed assets) is precached; navigations go to the network
//   first and fall back to the cached shell offline.
// - A few of the person's own API answers (who they are, their settings, watchlist, home rows) are
//   kept network-first in a cache named after the person, so the watchlist renders offline. Nothing
//   authenticated is ever stored under a key another person could read; sign-out deletes it.
// - Public catalog answers the watchlist needs (title details, covers, posters through the image
//   proxy, decision 0109) are kept network-first too, so a card offline shows what it showed online.
// - A push message {title, body, url} shows a notification that opens `url` (for alerts).

const VERSION = '__MG_VERSION__';
const PRECACHE = [
  /* __MG_PRECACHE__ */
];
const SHELL = `mg-shell-${VERSION}`;
const CATALOG = 'mg-catalog';
const PERSON_PREFIX = 'mg-person-';

/** Paths that are never the app (decision 0100): no shell fallback for them. */
const RESERVED = /^\/(api|oauth|auth|mcp|sync|\.well-known|healthz|readyz|metrics|llms\.txt|device|admin)(\/|$)/;
/** The person's own answers worth having offline. */
const PERSONAL = /^\/(auth\/userinfo|api\/me\/settings|api\/watchlist|api\/home)$/;
/** Public catalog answers the watchlist page reads. */
const CATALOG_PATHS = /^\/api\/(titles\/mg_[a-z2-7]{12}(\/cover\.svg|\/image\/(poster|backdrop))?|catalog\/summary)$/;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((n) => n.startsWith('mg-shell-') && n !== SHELL).map((n) => caches.delete(n))),
      )
      .then(() => self.clients.claim()),
  );
});

/**
 * The person a request is made for: the `sub` of its bearer token (our access tokens are JWTs).
 * Not verified here, and it need not be: it only picks which of this browser's own caches to use,
 * and the server verifies every token it receives.
 */
function personOf(request) {
  const match = /^Bearer\s+[^.]+\.([^.]+)\./i.exec(request.headers.get('authorization') || '');
  if (!match) return undefined;
  try {
    const payload = JSON.parse(atob(match[1].replace(/-/g, '+').replace(/_/g, '/')));
    return typeof payload.sub === 'string' && /^[\w.:@-]{1,200}$/.test(payload.sub) ? payload.sub : undefined;
  } catch {
    return undefined;
  }
}

/** Network first; a good answer refreshes the cache, a failed network falls back to it. */
async function networkFirst(request, cacheName, key) {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw error;
  }
}

async function shellFor(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const shell = await caches.match('/', { cacheName: SHELL });
    if (shell) return shell;
    throw error;
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request, { cacheName: SHELL });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) (await caches.open(SHELL)).put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const path = url.pathname;
  if (request.mode === 'navigate') {
    if (!RESERVED.test(path)) event.respondWith(shellFor(request));
    return;
  }
  if (path.startsWith('/assets/')) {
    event.respondWith(cacheFirst(request));
    return;
  }
  if (PERSONAL.test(path)) {
    const person = personOf(request);
    // Anonymous or unreadable: straight to the network, never cached.
    if (!person) return;
    // The cache key is the URL alone, inside this person's own cache.
    event.respondWith(networkFirst(request, `${PERSON_PREFIX}${person}`, url.pathname + url.search));
    return;
  }
  if (CATALOG_PATHS.test(path) && !request.headers.has('authorization'))
    event.respondWith(networkFirst(request, CATALOG, url.pathname + url.search));
});

/** The page asks for this on sign-out (it can also delete the caches itself). */
self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'sign-out')
    event.waitUntil(
      caches
        .keys()
        .then((names) =>
          Promise.all(names.filter((n) => n.startsWith(PERSON_PREFIX) || n === CATALOG).map((n) => caches.delete(n))),
        ),
    );
});

/** Only links into this app: a push payload must not be able to send people elsewhere. */
function appUrl(value) {
  try {
    const url = new URL(typeof value === 'string' ? value : '/', self.location.origin);
    return url.origin === self.location.origin ? url.href : `${self.location.origin}/`;
  } catch {
    return `${self.location.origin}/`;
  }
}

// Hook for availability alerts: the server pushes {title, body, url}; a click opens or focuses url.
self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : '' };
  }
  const title = typeof data.title === 'string' && data.title ? data.title : 'Media Gateway';
  event.waitUntil(
    self.registration.showNotification(title, {
      body: typeof data.body === 'string' ? data.body : '',
      icon: '/icons/icon-192.png',
      data: { url: appUrl(data.url) },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = event.notification.data?.url || `${self.location.origin}/`;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const same = windows.find((w) => w.url === url);
      if (same) return same.focus();
      const any = windows[0];
      if (any) return any.navigate(url).then((w) => (w || any).focus());
      return self.clients.openWindow(url);
    }),
  );
});
