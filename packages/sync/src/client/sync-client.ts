import * as Y from 'yjs';
import { HybridClock } from '../hlc.ts';
import { BEARER_PREFIX, CLOSE, fromBase64, type LiveNotification, SUBPROTOCOL, toBase64 } from '../protocol.ts';
import {
  ackHandoff,
  addToWatchlist,
  allHlcs,
  type DeviceEntry,
  hlcsInUpdate,
  readDevices,
  readInbox,
  readWatchlist,
  removeFromWatchlist,
  setProgress,
  setWatched,
  type WatchlistItem,
} from '../user-state.ts';
import type { ReplicaStorage } from './replica-storage.ts';

/** The slice of the WebSocket API we use: the browser's and `ws` both have it. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketCtor = new (url: string, protocols: string[]) => WebSocketLike;

export interface SyncClientOptions {
  /** ws(s)://host/sync */
  url: string;
  token: string | (() => Promise<string>);
  deviceId: string;
  device?: Pick<DeviceEntry, 'name' | 'type' | 'capabilities'>;
  storage?: ReplicaStorage;
  WebSocket?: WebSocketCtor;
  /** Reconnect after unexpected closes, with backoff (default true). */
  reconnect?: boolean;
}

export type SyncStatus = 'offline' | 'connecting' | 'online';
type Events = {
  change: () => void;
  status: (s: SyncStatus) => void;
  presence: (online: string[]) => void;
  handoff: (h: {
    id: string;
    titleId: string;
    positionSeconds: number | null;
    link: unknown;
    fromDevice: string;
  }) => void;
  /** W8: an alert, pushed live (the notification centre keeps every one). */
  notification: (n: LiveNotification) => void;
  error: (e: { code: string; message: string }) => void;
};

const REMOTE = Symbol('remote');
const OPEN = 1;

/**
 * A device's replica of its person's state (C1–C4). Edits apply locally at once, even offline;
 * they are saved to local storage and, when connected, sent to the hub. On (re)connect the
 * client and the hub exchange state vectors, so each side gets exactly what it missed.
 */
export class SyncClient {
  readonly doc = new Y.Doc();
  readonly clock: HybridClock;
  status: SyncStatus = 'offline';
  online: string[] = [];
  private socket: WebSocketLike | undefined;
  private synced = false;
  private nextId = 1;
  private readonly pending = new Map<number, () => void>();
  private readonly listeners: { [K in keyof Events]: Array<Events[K]> } = {
    change: [],
    status: [],
    presence: [],
    handoff: [],
    notification: [],
    error: [],
  };
  private retryMs = 250;
  private stopped = false;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private syncedWaiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  private flushWaiters: Array<() => void> = [];

  private constructor(private readonly options: SyncClientOptions) {
    this.clock = new HybridClock(options.deviceId);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE) this.push(update);
      this.scheduleSave();
      for (const fn of this.listeners.change) fn();
    });
  }

  /** Opens the replica from local storage (if any); call `connect()` to go online. */
  static async open(options: SyncClientOptions): Promise<SyncClient> {
    const client = new SyncClient(options);
    const saved = await options.storage?.load();
    if (saved) Y.applyUpdate(client.doc, saved, REMOTE);
    for (const h of allHlcs(client.doc)) client.clock.observe(h);
    return client;
  }

  on<K extends keyof Events>(event: K, fn: Events[K]): () => void {
    this.listeners[event].push(fn);
    return () => {
      const list = this.listeners[event] as Array<Events[K]>;
      list.splice(list.indexOf(fn), 1);
    };
  }

  connect(): void {
    this.stopped = false;
    void this.open();
  }

  /** Resolves once connected and the initial exchange is done; rejects when the server refused this client for good. */
  whenSynced(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => this.syncedWaiters.push({ resolve, reject }));
  }

  /** Resolves when every local edit so far is durable on the server (waits through reconnects). */
  flushed(): Promise<void> {
    return new Promise((resolve) => {
      this.flushWaiters.push(resolve);
      this.checkFlushed();
    });
  }

  private checkFlushed(): void {
    if (!this.synced || this.pending.size > 0) return;
    for (const w of this.flushWaiters.splice(0)) w();
  }

  async close(): Promise<void> {
    this.stopped = true;
    const socket = this.socket;
    this.socket = undefined;
    this.synced = false;
    this.pending.clear();
    socket?.close(CLOSE.NORMAL, 'bye');
    await this.saveNow();
    this.setStatus('offline');
  }

  /**
   * Saves the replica now instead of at the end of the debounce: a page being closed or reloaded calls it
   * (pagehide), or what arrived in the last 100 ms would be missing offline.
   */
  async saveNow(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    await this.options.storage?.save(Y.encodeStateAsUpdate(this.doc));
  }

  // ---------- state API ----------
  watchlist(): WatchlistItem[] {
    return readWatchlist(this.doc);
  }
  add(titleId: string): void {
    addToWatchlist(this.doc, titleId, this.options.deviceId);
  }
  remove(titleId: string): boolean {
    return removeFromWatchlist(this.doc, titleId);
  }
  setProgress(titleId: string, positionSeconds: number, durationSeconds: number | null = null): void {
    setProgress(this.doc, titleId, this.options.deviceId, { positionSeconds, durationSeconds, hlc: this.clock.tick() });
  }
  setWatched(titleId: string, watched: boolean): void {
    setWatched(this.doc, titleId, this.options.deviceId, { watched, hlc: this.clock.tick() });
  }
  devices() {
    return readDevices(this.doc);
  }
  inbox() {
    return readInbox(this.doc, this.options.deviceId);
  }
  ackHandoff(id: string): boolean {
    return ackHandoff(this.doc, this.options.deviceId, id);
  }

  // ---------- connection ----------
  private async open(): Promise<void> {
    if (this.socket || this.stopped) return;
    const Ctor = this.options.WebSocket ?? (globalThis as unknown as { WebSocket?: WebSocketCtor }).WebSocket;
    if (!Ctor) throw new Error('No WebSocket implementation: pass options.WebSocket (e.g. the ws package)');
    const token = typeof this.options.token === 'string' ? this.options.token : await this.options.token();
    this.setStatus('connecting');
    const socket = new Ctor(this.options.url, [SUBPROTOCOL, `${BEARER_PREFIX}${token}`]);
    this.socket = socket;
    socket.onopen = () => {
      this.send({
        v: 1,
        type: 'hello',
        deviceId: this.options.deviceId,
        stateVector: toBase64(Y.encodeStateVector(this.doc)),
        ...(this.options.device ? { device: this.options.device } : {}),
      });
    };
    socket.onmessage = (ev) => this.onFrame(String(ev.data));
    socket.onerror = () => {};
    socket.onclose = (ev) => {
      // A socket we already replaced or closed on purpose: nothing to do.
      if (this.socket !== socket) return;
      this.socket = undefined;
      const welcomed = this.synced;
      this.synced = false;
      this.setStatus('offline');
      // Unacknowledged edits are not lost: the next welcome exchange resends them by state vector.
      this.pending.clear();
      // A refusal that the same client would get again (its token, its rights, its version, a hello the server cannot
      // read: MALFORMED before the welcome) ends the connection for good: retrying would only repeat it. A malformed
      // frame later is one bad message, and the client reconnects.
      const fatal =
        ev.code === CLOSE.UNAUTHENTICATED ||
        ev.code === CLOSE.FORBIDDEN ||
        ev.code === CLOSE.UNSUPPORTED_VERSION ||
        (ev.code === CLOSE.MALFORMED && !welcomed);
      if (fatal) {
        for (const fn of this.listeners.error) fn({ code: String(ev.code), message: ev.reason });
        const error = new Error(`sync refused (${ev.code}): ${ev.reason || 'no reason given'}`);
        for (const w of this.syncedWaiters.splice(0)) w.reject(error);
      }
      if (!this.stopped && !fatal && this.options.reconnect !== false) {
        // A draining server asks for a prompt reconnect: no backoff, a little jitter so every
        // device of a replica does not land on the next one in the same millisecond.
        const restart = ev.code === CLOSE.SERVICE_RESTART;
        setTimeout(() => void this.open(), restart ? 50 + Math.floor(Math.random() * 250) : this.retryMs);
        if (restart) this.retryMs = 250;
        else this.retryMs = Math.min(this.retryMs * 2, 10_000);
      }
    };
  }

  private onFrame(text: string): void {
    let msg: { type?: string; [k: string]: unknown };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      return;
    }
    switch (msg.type) {
      case 'welcome': {
        this.applyRemote(fromBase64(String(msg['update'])));
        const mine = Y.encodeStateAsUpdate(this.doc, fromBase64(String(msg['stateVector'])));
        if (mine.byteLength > 2) this.sendUpdate(mine);
        this.synced = true;
        this.retryMs = 250;
        this.setStatus('online');
        for (const w of this.syncedWaiters.splice(0)) w.resolve();
        this.checkFlushed();
        break;
      }
      case 'update':
        this.applyRemote(fromBase64(String(msg['update'])));
        break;
      case 'ack': {
        const id = Number(msg['id']);
        const done = this.pending.get(id);
        this.pending.delete(id);
        done?.();
        this.checkFlushed();
        break;
      }
      case 'ping':
        this.send({ v: 1, type: 'pong', t: msg['t'] });
        break;
      case 'presence':
        this.online = (msg['online'] as string[]) ?? [];
        for (const fn of this.listeners.presence) fn(this.online);
        break;
      case 'handoff':
        for (const fn of this.listeners.handoff) fn(msg as unknown as Parameters<Events['handoff']>[0]);
        break;
      case 'notification':
        for (const fn of this.listeners.notification) fn(msg['notification'] as LiveNotification);
        break;
      case 'error': {
        if (typeof msg['id'] === 'number') {
          const done = this.pending.get(msg['id']);
          this.pending.delete(msg['id']);
          done?.();
          this.checkFlushed();
        }
        for (const fn of this.listeners.error) fn({ code: String(msg['code']), message: String(msg['message']) });
        break;
      }
    }
  }

  private applyRemote(update: Uint8Array): void {
    Y.applyUpdate(this.doc, update, REMOTE);
    for (const h of hlcsInUpdate(update)) this.clock.observe(h);
  }

  private push(update: Uint8Array): void {
    if (this.synced) this.sendUpdate(update);
  }

  private sendUpdate(update: Uint8Array): void {
    const id = this.nextId++;
    this.pending.set(id, () => {});
    this.send({ v: 1, type: 'update', id, update: toBase64(update) });
  }

  private send(message: unknown): void {
    if (this.socket?.readyState === OPEN) this.socket.send(JSON.stringify(message));
  }

  private setStatus(status: SyncStatus): void {
    if (this.status === status) return;
    this.status = status;
    for (const fn of this.listeners.status) fn(status);
  }

  private scheduleSave(): void {
    const storage = this.options.storage;
    if (!storage || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void storage.save(Y.encodeStateAsUpdate(this.doc));
    }, 100);
  }
}
