export { type ContractOptions, eventually, uniqueName } from './options.ts';
export { runDbContract } from './db.ts';
export {
  runRateLimiterContract,
  type ContractRateLimiter,
  type MakeLimiter,
  type RateLimiterFixture,
} from './rate-limiter.ts';
export {
  runSessionStoreContract,
  type ContractSessionStore,
  type MakeSessionStore,
  type SessionStoreFixture,
} from './session-store.ts';
export {
  runSyncBusContract,
  type ContractHub,
  type ContractPeer,
  type SyncDeployment,
} from './sync-bus.ts';
