// Browser-safe entry: the client replica and its storages (no node: imports except fileStorage's own entry).
export {
  SyncClient,
  type SyncClientOptions,
  type SyncStatus,
  type WebSocketCtor,
  type WebSocketLike,
} from './sync-client.ts';
export { memoryStorage, webStorage, type ReplicaStorage } from './replica-storage.ts';
