import type { FastifyInstance } from 'fastify';

interface RoutePattern {
  match: RegExp;
  methods: Set<string>;
}

/** A route's URL pattern (`/api/titles/:id`, `/static/*`) as a regular expression over a request path. */
function patternOf(url: string): RegExp {
  const source = url
    .replace(/\/+$/, '')
    .split('/')
    .map((part) => {
      if (part === '*') return '.*';
      if (part.startsWith(':')) return '[^/]+';
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/**
 * Remembers every route's methods so that a request for a path that exists, with a method it does not take,
 * is told so: 405 with `Allow` (RFC 9110 §15.5.6), not "no such route". Call before the routes are registered.
 */
export function trackRouteMethods(app: FastifyInstance): (path: string) => string[] {
  const routes = new Map<string, RoutePattern>();
  app.addHook('onRoute', (route) => {
    // The web app's fallback (`GET /*`) answers any page path; it does not make every path a resource.
    if (route.url === '/*') return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    let entry = routes.get(route.url);
    if (!entry) {
      entry = { match: patternOf(route.url), methods: new Set() };
      routes.set(route.url, entry);
    }
    for (const m of methods) entry.methods.add(m.toUpperCase());
  });
  return (path) => {
    const allowed = new Set<string>();
    for (const { match, methods } of routes.values()) {
      if (match.test(path)) for (const m of methods) allowed.add(m);
    }
    return [...allowed].sort();
  };
}
