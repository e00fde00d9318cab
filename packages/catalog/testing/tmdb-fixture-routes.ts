import { fixture, type Route } from './fixture-server.ts';

/** TMDb v3 routes over the recorded-shape fixtures: discover pages, details, and one truncated body. */
export const tmdbRoutes: Route = (req) => {
  const page = req.query.get('page') ?? '1';
  let m = /^\/3\/discover\/(movie|tv)$/.exec(req.path);
  if (m) {
    try {
      return { body: fixture('tmdb', `discover-${m[1]}-${page}.json`) };
    } catch {
      return {
        status: 422,
        body: {
          success: false,
          status_code: 22,
          status_message: 'Invalid page: Pages start at 1 and max at 500. They are expected to be an integer.',
        },
      };
    }
  }
  m = /^\/3\/(movie|tv)\/(\d+)$/.exec(req.path);
  if (m) {
    if (m[1] === 'movie' && m[2] === '27205') return { body: fixture('tmdb', 'movie-27205.truncated.txt') };
    try {
      return { body: fixture('tmdb', `${m[1]}-${m[2]}.json`), headers: { etag: `W/"${m[1]}-${m[2]}"` } };
    } catch {
      return undefined;
    }
  }
  return undefined;
};
