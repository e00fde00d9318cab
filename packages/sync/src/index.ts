export {
  HybridClock,
  encodeHlc,
  decodeHlc,
  compareHlc,
  HLC_PATTERN,
  MAX_CLOCK_SKEW_MS,
  type HlcTimestamp,
} from './hlc.ts';
export {
  ROOTS,
  ROOT_RULES,
  TITLE_ID,
  DEVICE_ID,
  DEVICE_TYPES,
  addToWatchlist,
  removeFromWatchlist,
  setProgress,
  setWatched,
  putDevice,
  addHandoff,
  ackHandoff,
  readProgress,
  readWatched,
  readWatchlist,
  readDevices,
  readInbox,
  allHlcs,
  hlcsInUpdate,
  snapshotJson,
  rootMap,
  type WatchlistItem,
  type DeviceEntry,
  type InboxEntry,
  type DeepLink,
  type ProgressEntry,
  type WatchedEntry,
  type RootName,
} from './user-state.ts';
export { validateUpdate, MAX_UPDATE_BYTES, MAX_UPDATE_STRUCTS } from './update-validation.ts';
export {
  PROTOCOL_VERSION,
  SUBPROTOCOL,
  BEARER_PREFIX,
  CLOSE,
  MAX_FRAME_BYTES,
  HEARTBEAT_MS,
  ClientMessageSchema,
  toBase64,
  fromBase64,
  type ServerMessage,
  type LiveNotification,
  type ClientMessage,
} from './protocol.ts';
export { SyncStore, COMPACT_AFTER_UPDATES } from './server/sync-store.ts';
export { SyncHub, SyncError, type HubPeer, type SyncHubOptions } from './server/sync-hub.ts';
export {
  memoryBus,
  redisBus,
  BUS_CHANNEL,
  type SyncBus,
  type BusMessage,
  type BusEnvelope,
} from './server/sync-bus.ts';
export {
  handleSyncConnection,
  HIGH_WATER_BYTES,
  RATE,
  type ConnectionAuth,
  type SyncObserver,
} from './server/sync-connection.ts';
export {
  SyncClient,
  memoryStorage,
  webStorage,
  type ReplicaStorage,
  type SyncClientOptions,
  type WebSocketCtor,
} from './client/index.ts';
export { fileStorage } from './client/file-storage.ts';
