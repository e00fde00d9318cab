// Test helpers other workspaces may use: a local HTTP server that answers with the live sources'
// recorded response shapes (the outside APIs we cannot reach from tests), and TMDb's routes on it.
export * from './fixture-server.ts';
export { tmdbRoutes } from './tmdb-fixture-routes.ts';
