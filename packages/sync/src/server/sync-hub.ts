import { randomUUID } from 'node:crypto';
import type { Db } from '@media-gateway/db';
import { DomainError, instrument, type Logger } from '@media-gateway/domain';
import * as Y from 'yjs';
import { HybridClock } from '../hlc.ts';
import { fromBase64, type LiveNotification, type ServerMessage, toBase64 } from '../protocol.ts';
import { validateUpdate } from '../update-validation.ts';
import { allHlcs, hlcsInUpdate, pastCaps, trimToCaps, watchlistFull } from '../user-state.ts';
import type { BusEnvelope, SyncBus } from './sync-bus.ts';
import { COMPACT_AFTER_UPDATES, SyncStore } from './sync-store.ts';

/** What the hub needs from a connection: send a frame and know which device it is. */
export interface HubPeer {
  readonly deviceId: string;
  deliver(message: ServerMessage): void;
}

export interface Room {
  userId: string;
  doc: Y.Doc;
  peers: Set<HubPeer>;
  /** Serialises writes per user so appends and in-memory applies happen in the same order. */
  queue: Promise<unknown>;
  /** Updates appended since the last compaction (approximate across processes). */
  pending: number;
  /** A presence broadcast is already scheduled for this tick (S10: one per burst of joins/leaves). */
  presenceQueued: boolean;
  /** Devices connected to other processes, by process id, with when that process last said so (W6). */
  remoteOnline: Map<string, { devices: string[]; seenAt: number }>;
  idleTimer: NodeJS.Timeout | undefined;
  /**
   * What the database held for this user when the room last loaded or reloaded (newest update id and
   * count): anti-entropy reloads the room when that changes, whoever made the change.
   */
  storedSig: string;
}

export interface SyncHubOptions {
  db: Db;
  bus: SyncBus;
  logger: Logger;
  /** How long a room with no connections stays in memory (ms). */
  idleMs?: number;
  compactAfter?: number;
  /**
   * Every this many ms each process repeats the presence of its connected devices; a process not
   * heard from for 3 periods is taken for dead and its devices go offline (W6: a kill -9 sends no
   * goodbye). Default 10 s.
   */
  presenceRefreshMs?: number;
  /** S10: connections one user may hold on this process (default 32). */
  maxConnectionsPerUser?: number;
  /**
   * Every this many ms, rooms with connected devices are compared with the database and brought up
   * to date when another process stored updates this one never heard of (a message lost with the
   * bus). Default 10 s; 0 turns it off. The bus is the fast path, this is the guarantee.
   */
  antiEntropyMs?: number;
}

export const DEFAULT_MAX_CONNECTIONS_PER_USER = 32;

/** A room whose memory may miss stored updates: never equal to a signature, so the next pass reloads it. */
const STALE = 'stale';

/** A refused sync write: a DomainError, so REST edits answer it as a 4xx problem too. */
export class SyncError extends DomainError {
  constructor(code: 'INVALID_INPUT' | 'PAYLOAD_TOO_LARGE' | 'NOT_FOUND', message: string) {
    super(code, message);
  }
}

/**
 * Holds each connected person's document in memory, persists every edit before acknowledging it,
 * and fans edits out to the person's other devices: locally, and through the bus to other
 * gateway processes (SPEC.md P1, F1–F3).
 */
export class SyncHub {
  readonly processId = randomUUID().slice(0, 8);
  readonly store: SyncStore;
  readonly clock: HybridClock;
  private readonly rooms = new Map<string, Promise<Room>>();
  /** The room each joined device is in, so leaving finds it even if the user's room was replaced. */
  private readonly roomOf = new WeakMap<HubPeer, Room>();
  private readonly idleMs: number;
  private readonly compactAfter: number;
  /** At most one compaction in flight per user. */
  private readonly compactions = new Map<string, Promise<void>>();
  private closed = false;
  private readonly presenceTimer: NodeJS.Timeout;
  private readonly antiEntropyTimer: NodeJS.Timeout | undefined;
  private readonly presenceTtlMs: number;
  /** Open sockets per user on this process, counted from the upgrade (before hello). */
  private readonly connections = new Map<string, number>();
  readonly maxConnectionsPerUser: number;

  constructor(private readonly options: SyncHubOptions) {
    this.store = new SyncStore(options.db);
    this.clock = new HybridClock(`gw-${this.processId}`);
    this.idleMs = options.idleMs ?? 60_000;
    this.compactAfter = options.compactAfter ?? COMPACT_AFTER_UPDATES;
    options.bus.subscribe((e) => this.onBus(e));
    options.bus.onReconnect(() => void this.catchUp());
    const refreshMs = options.presenceRefreshMs ?? 10_000;
    this.presenceTtlMs = refreshMs * 3;
    this.presenceTimer = setInterval(() => void this.refreshPresence(), refreshMs);
    this.presenceTimer.unref();
    this.maxConnectionsPerUser = options.maxConnectionsPerUser ?? DEFAULT_MAX_CONNECTIONS_PER_USER;
    const antiEntropyMs = options.antiEntropyMs ?? 10_000;
    if (antiEntropyMs > 0) {
      this.antiEntropyTimer = setInterval(
        () =>
          void this.antiEntropy().catch((error) =>
            options.logger.warn({ err: error }, 'sync anti-entropy pass failed; the next one retries'),
          ),
        antiEntropyMs,
      );
      this.antiEntropyTimer.unref();
    }
  }

  /**
   * Rooms whose devices may have missed a stored update: one query for the newest id and the count of
   * stored updates of every room with devices here, and a reload of each whose pair changed since it
   * was last loaded. The count catches an update that committed after a newer one (ids are given at
   * insert, not at commit), so nothing stored can stay unseen past one more pass.
   */
  async antiEntropy(): Promise<number> {
    if (this.closed) return 0;
    const live: Room[] = [];
    for (const pending of this.rooms.values()) {
      const room = await pending.catch(() => undefined);
      if (room && room.peers.size > 0) live.push(room);
    }
    if (live.length === 0) return 0;
    const { rows } = await this.options.db.query<{ user_id: string; id: string; n: number }>(
      'SELECT user_id, max(id)::text AS id, count(*)::int AS n ' +
        'FROM sync_updates WHERE user_id = ANY($1) GROUP BY user_id',
      [live.map((r) => r.userId)],
    );
    const stored = new Map(rows.map((r) => [r.user_id, signature(r.n, Number(r.id))]));
    let reloaded = 0;
    for (const room of live) {
      if ((stored.get(room.userId) ?? signature(0, 0)) === room.storedSig) continue;
      await this.serial(room, () => this.reload(room));
      reloaded++;
    }
    return reloaded;
  }

  /** Merges what the database holds for this room and sends its devices what they were missing. */
  private async reload(room: Room): Promise<void> {
    const { state, lastId, pending } = await this.store.load(room.userId);
    const before = Y.encodeStateVector(room.doc);
    Y.applyUpdate(room.doc, state, 'catch-up');
    room.storedSig = signature(pending, lastId);
    const diff = Y.encodeStateAsUpdate(room.doc, before);
    if (diff.byteLength > 2) {
      for (const h of hlcsInUpdate(diff)) this.clock.observe(h);
      const frame: ServerMessage = { v: 1, type: 'update', update: toBase64(diff) };
      for (const peer of room.peers) peer.deliver(frame);
    }
  }

  /** S10: counts a new socket for `userId`; false when the user is at the cap (then nothing is counted). */
  admit(userId: string): boolean {
    const n = this.connections.get(userId) ?? 0;
    if (n >= this.maxConnectionsPerUser) return false;
    this.connections.set(userId, n + 1);
    return true;
  }

  /** The socket `admit` counted has closed. */
  release(userId: string): void {
    const n = (this.connections.get(userId) ?? 0) - 1;
    if (n > 0) this.connections.set(userId, n);
    else this.connections.delete(userId);
  }

  get bus(): SyncBus {
    return this.options.bus;
  }

  room(userId: string): Promise<Room> {
    let room = this.rooms.get(userId);
    if (!room) {
      room = this.store.load(userId).then(({ state, pending, lastId }) => {
        const doc = new Y.Doc({ gc: true });
        Y.applyUpdate(doc, state);
        for (const h of allHlcs(doc)) this.clock.observe(h);
        return {
          userId,
          doc,
          peers: new Set<HubPeer>(),
          queue: Promise.resolve(),
          pending,
          presenceQueued: false,
          remoteOnline: new Map(),
          idleTimer: undefined,
          storedSig: signature(pending, lastId),
        } satisfies Room;
      });
      room.catch(() => this.rooms.delete(userId));
      this.rooms.set(userId, room);
      void room.then((r) => this.scheduleIdle(r)).catch(() => {});
    }
    return room;
  }

  /** Runs a read against the user's current state. */
  async read<T>(userId: string, fn: (doc: Y.Doc) => T): Promise<T> {
    const room = await this.room(userId);
    this.scheduleIdle(room);
    return fn(room.doc);
  }

  /**
   * Applies an update from a device: validate (S8), append to the database (P1), apply in memory,
   * then fan out. Resolves once durable: that is when the device gets its ack.
   */
  async applyUpdate(userId: string, update: Uint8Array, origin: HubPeer | null): Promise<void> {
    const check = validateUpdate(update);
    if (!check.ok) throw new SyncError(check.code, check.reason);
    const room = await this.room(userId);
    const overflowing = await this.serial(room, async () => {
      const id = await this.store.append(userId, update);
      Y.applyUpdate(room.doc, update, origin);
      for (const h of hlcsInUpdate(update)) this.clock.observe(h);
      this.fanOut(room, update, origin, id);
      return pastCaps(room.doc);
    });
    // Past a size cap (S8): the server removes the excess as an edit of its own, which every device merges.
    if (overflowing) await this.edit(userId, (doc) => trimToCaps(doc));
  }

  /**
   * A server-side edit (REST): runs `fn` on a scratch copy, so nothing reaches memory or other
   * devices before the resulting update is durable. Edits of one person are made one at a time
   * across every replica, each on top of everything already stored: a replica that has not yet
   * received another's edit (a slow or absent bus) merges it from the database first, so a REST
   * edit never loses to an earlier one (two writes to the same key that a replica saw as concurrent
   * would otherwise be settled by Yjs's client order, not by time).
   */
  async edit<T>(userId: string, fn: (doc: Y.Doc, clock: HybridClock) => T): Promise<T> {
    const room = await this.room(userId);
    return this.serial(room, async () => {
      const { result, update, id } = await this.store.withUserLock(userId, async (tx) => {
        const { state } = await this.store.load(userId, tx);
        const known = Y.encodeStateVector(room.doc);
        Y.applyUpdate(room.doc, state, 'catch-up');
        const missed = Y.encodeStateAsUpdate(room.doc, known);
        if (missed.byteLength > 2) {
          for (const h of hlcsInUpdate(missed)) this.clock.observe(h);
          const frame: ServerMessage = { v: 1, type: 'update', update: toBase64(missed) };
          for (const peer of room.peers) peer.deliver(frame);
        }
        const scratch = new Y.Doc();
        Y.applyUpdate(scratch, Y.encodeStateAsUpdate(room.doc));
        const before = Y.encodeStateVector(scratch);
        const listed = scratch.getMap('watchlist').size;
        const result = fn(scratch, this.clock);
        // A full watchlist refuses a server-side addition (REST answers 413); other maps drop their oldest (S8).
        const full = watchlistFull(listed, scratch.getMap('watchlist').size);
        if (full) {
          scratch.destroy();
          throw new SyncError('PAYLOAD_TOO_LARGE', full);
        }
        trimToCaps(scratch);
        const update = Y.encodeStateAsUpdate(scratch, before);
        scratch.destroy();
        const id = update.byteLength > 2 ? await this.store.append(userId, update, tx) : undefined;
        return { result, update, id };
      });
      if (id !== undefined) {
        Y.applyUpdate(room.doc, update, null);
        this.fanOut(room, update, null, id);
      }
      return result;
    });
  }

  /**
   * Adds a device to the room `room()` just gave. Call it in the same tick as that promise settles
   * (no await in between): a room evicted meanwhile would hold the device where no edit reaches it.
   */
  join(userId: string, peer: HubPeer, room: Room): void {
    room.peers.add(peer);
    this.roomOf.set(peer, room);
    if (room.idleTimer) clearTimeout(room.idleTimer);
    room.idleTimer = undefined;
    this.presenceChanged(room);
    void this.store.touchDevice(userId, peer.deviceId).catch(() => {});
  }

  leave(userId: string, peer: HubPeer): void {
    const room = this.roomOf.get(peer);
    this.roomOf.delete(peer);
    if (!room?.peers.delete(peer)) return;
    this.presenceChanged(room);
    void this.store.touchDevice(userId, peer.deviceId).catch(() => {});
    this.scheduleIdle(room);
  }

  /** Erasure: drops the person's state from this process's memory (their sockets are closed by revocation). */
  forget(userId: string): void {
    const room = this.rooms.get(userId);
    this.rooms.delete(userId);
    void room
      ?.then((r) => {
        if (r.idleTimer) clearTimeout(r.idleTimer);
        r.doc.destroy();
      })
      .catch(() => {});
  }

  async online(userId: string): Promise<string[]> {
    const room = await this.room(userId);
    return onlineOf(room);
  }

  /** Tells the target device's live connections about a handoff (they also get it through the document). */
  async notifyHandoff(userId: string, deviceId: string, handoffId: string): Promise<boolean> {
    const room = await this.room(userId);
    const delivered = this.deliverHandoff(room, deviceId, handoffId);
    this.bus.publish({ from: this.processId, message: { kind: 'handoff', userId, deviceId, handoffId } });
    return delivered || [...room.remoteOnline.values()].some((p) => p.devices.includes(deviceId));
  }

  /**
   * W8: sends a notification to the person's devices connected here, and through the bus to those
   * connected to other processes. Live only: the notification centre is the durable copy. Returns
   * how many devices on this process got it.
   */
  notify(userId: string, notification: LiveNotification): Promise<number> {
    this.bus.publish({ from: this.processId, message: { kind: 'notify', userId, notification } });
    return this.deliverNotification(userId, notification);
  }

  private async deliverNotification(userId: string, notification: LiveNotification): Promise<number> {
    // A room is never loaded just for this: without one, no device of this person is connected here.
    const room = await this.rooms.get(userId)?.catch(() => undefined);
    if (!room) return 0;
    for (const peer of room.peers) peer.deliver({ v: 1, type: 'notification', notification });
    return room.peers.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.presenceTimer);
    if (this.antiEntropyTimer) clearInterval(this.antiEntropyTimer);
    for (const room of this.rooms.values()) {
      const r = await room.catch(() => undefined);
      if (r?.idleTimer) clearTimeout(r.idleTimer);
      await r?.queue.catch(() => {});
    }
    this.rooms.clear();
    await Promise.all(this.compactions.values());
    await this.bus.close();
  }

  // ---------- internals ----------

  private serial<T>(room: Room, fn: () => Promise<T>): Promise<T> {
    const run = room.queue.then(fn, fn);
    room.queue = run.catch(() => {});
    return run.then(
      (value) => {
        room.pending += 1;
        if (room.pending >= this.compactAfter) this.compact(room);
        return value;
      },
      (error) => {
        // Memory is never ahead of the database (edits reach it only after their append), but it may be
        // behind: an append can commit and still report failure. The room stays, with its devices, and
        // the next anti-entropy pass reloads it. Dropping it here once left connected devices on an
        // object no longer in `rooms`, deaf to every later edit until they reconnected (issue 17).
        this.options.logger.error({ err: error, userId: room.userId }, 'sync write failed; the room reloads next pass');
        room.storedSig = STALE;
        throw error;
      },
    );
  }

  /**
   * Compaction runs beside the write queue, not in it: it used to be chained onto `room.queue`,
   * so the edit after every 200th waited for a whole snapshot rebuild before its append, ack and
   * fan-out. P3 makes it safe next to concurrent appends (row lock, deletes only folded rows).
   */
  private compact(room: Room): void {
    room.pending = 0;
    if (this.compactions.has(room.userId)) return;
    const run = this.store
      .compact(room.userId)
      .then(
        () => {},
        (error) => {
          this.options.logger.warn({ err: error, userId: room.userId }, 'sync compaction failed; will retry later');
        },
      )
      .finally(() => this.compactions.delete(room.userId));
    this.compactions.set(room.userId, run);
  }

  private fanOut(room: Room, update: Uint8Array, origin: HubPeer | null, id: number): void {
    const message: ServerMessage = { v: 1, type: 'update', update: toBase64(update) };
    for (const peer of room.peers) if (peer !== origin) peer.deliver(message);
    this.bus.publish({
      from: this.processId,
      message: { kind: 'update', userId: room.userId, update: message.update, id },
    });
  }

  private deliverHandoff(room: Room, deviceId: string, handoffId: string): boolean {
    const entry = room.doc.getMap('inbox').get(`${deviceId}|${handoffId}`) as Record<string, unknown> | undefined;
    if (!entry) return false;
    let delivered = false;
    for (const peer of room.peers) {
      if (peer.deviceId !== deviceId) continue;
      peer.deliver({
        v: 1,
        type: 'handoff',
        id: handoffId,
        titleId: String(entry['titleId']),
        positionSeconds: (entry['positionSeconds'] as number | null) ?? null,
        link: entry['link'] ?? null,
        fromDevice: String(entry['fromDevice']),
      });
      delivered = true;
    }
    return delivered;
  }

  /** Joins and leaves in one burst (a reconnect storm) produce one announcement, on the next tick. */
  private presenceChanged(room: Room): void {
    if (room.presenceQueued) return;
    room.presenceQueued = true;
    setImmediate(() => {
      room.presenceQueued = false;
      if (this.closed) return;
      const local = [...new Set([...room.peers].map((p) => p.deviceId))];
      this.bus.publish({ from: this.processId, message: { kind: 'presence', userId: room.userId, devices: local } });
      this.broadcastPresence(room);
    });
  }

  private broadcastPresence(room: Room): void {
    const message: ServerMessage = { v: 1, type: 'presence', online: onlineOf(room) };
    for (const peer of room.peers) peer.deliver(message);
  }

  private onBus(envelope: BusEnvelope): void {
    if (envelope.from === this.processId || this.closed) return;
    instrument().continueFrom(envelope.trace, `sync.bus.${envelope.message.kind}`, () => this.onBusMessage(envelope));
  }

  private onBusMessage(envelope: BusEnvelope): void {
    if (envelope.message.kind === 'resync') {
      void this.catchUp();
      return;
    }
    if (envelope.message.kind === 'notify') {
      void this.deliverNotification(envelope.message.userId, envelope.message.notification);
      return;
    }
    const { message } = envelope;
    const pending = this.rooms.get(message.userId);
    if (!pending) return; // nobody here holds this user's state; it loads from the database when needed
    void pending
      .then((room) => {
        if (message.kind === 'update') {
          // Already durable (the publishing process appended it); apply and pass on to local devices.
          const update = fromBase64(message.update);
          if (!validateUpdate(update).ok) return;
          Y.applyUpdate(room.doc, update, 'bus');
          const frame: ServerMessage = { v: 1, type: 'update', update: message.update };
          for (const peer of room.peers) peer.deliver(frame);
        } else if (message.kind === 'presence') {
          const previous = room.remoteOnline.get(envelope.from);
          const isNewProcess = !previous;
          room.remoteOnline.set(envelope.from, { devices: message.devices, seenAt: Date.now() });
          // A periodic refresh that changes nothing is not news for the devices.
          if (!previous || previous.devices.join() !== message.devices.join()) this.broadcastPresence(room);
          // A process we had not heard from about this user: tell it who is connected here.
          if (isNewProcess && room.peers.size > 0) {
            const local = [...new Set([...room.peers].map((p) => p.deviceId))];
            this.bus.publish({
              from: this.processId,
              message: { kind: 'presence', userId: room.userId, devices: local },
            });
          }
        } else {
          // The inbox entry may arrive just after the notice; retry once shortly.
          if (!this.deliverHandoff(room, message.deviceId, message.handoffId)) {
            setTimeout(() => this.deliverHandoff(room, message.deviceId, message.handoffId), 50).unref();
          }
        }
      })
      .catch(() => {});
  }

  /**
   * After the bus comes back: merge what other processes persisted meanwhile (F3). A room whose reload fails
   * (PostgreSQL restarting too) keeps its old stored signature, so the next anti-entropy pass reloads it; the
   * failure must not escape, since nothing awaits this (an unhandled rejection ended a replica in the soak).
   */
  private async catchUp(): Promise<void> {
    let failed = 0;
    for (const pending of this.rooms.values()) {
      const room = await pending.catch(() => undefined);
      if (!room) continue;
      try {
        await this.serial(room, () => this.reload(room));
      } catch (error) {
        if (failed++ === 0)
          this.options.logger.warn({ err: error }, 'sync catch-up could not reload a room; anti-entropy retries');
      }
      room.remoteOnline.clear();
      this.presenceChanged(room);
    }
  }

  /** W6: repeat our devices' presence, and forget processes that stopped repeating theirs. */
  private async refreshPresence(): Promise<void> {
    if (this.closed) return;
    const now = Date.now();
    for (const pending of this.rooms.values()) {
      const room = await pending.catch(() => undefined);
      if (!room) continue;
      if (room.peers.size > 0) {
        const local = [...new Set([...room.peers].map((p) => p.deviceId))];
        this.bus.publish({ from: this.processId, message: { kind: 'presence', userId: room.userId, devices: local } });
      }
      let expired = false;
      for (const [processId, p] of room.remoteOnline) {
        if (now - p.seenAt > this.presenceTtlMs) {
          room.remoteOnline.delete(processId);
          expired = expired || p.devices.length > 0;
        }
      }
      if (expired) this.broadcastPresence(room);
    }
  }

  private scheduleIdle(room: Room): void {
    if (room.peers.size > 0 || this.closed) return;
    if (room.idleTimer) clearTimeout(room.idleTimer);
    room.idleTimer = setTimeout(() => {
      if (room.peers.size === 0) this.rooms.delete(room.userId);
    }, this.idleMs);
    room.idleTimer.unref();
  }
}

function onlineOf(room: Room): string[] {
  const ids = new Set([...room.peers].map((p) => p.deviceId));
  for (const { devices } of room.remoteOnline.values()) for (const id of devices) ids.add(id);
  return [...ids].sort();
}

/** What the database holds for one user, as anti-entropy compares it: newest update id and count. */
function signature(count: number, newestId: number): string {
  return count === 0 ? 'none' : `${newestId}:${count}`;
}
