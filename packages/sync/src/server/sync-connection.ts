import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import {
  CLOSE,
  ClientMessageSchema,
  fromBase64,
  HEARTBEAT_MS,
  MAX_FRAME_BYTES,
  PROTOCOL_VERSION,
  type ServerMessage,
  toBase64,
} from '../protocol.ts';
import { MAX_UPDATE_BYTES } from '../update-validation.ts';
import { putDevice, readDevices } from '../user-state.ts';
import { type HubPeer, SyncError, type SyncHub } from './sync-hub.ts';

export interface ConnectionAuth {
  userId: string;
  scopes: readonly string[];
  /**
   * S11: asked every second and before each write. Returns why the token the connection was opened
   * with no longer holds ('revoked' or 'expired'), or undefined while it does.
   */
  check?: () => 'revoked' | 'expired' | undefined;
}

/** Told about a connection's life, for metrics; never changes what the connection does. */
export interface SyncObserver {
  opened(): void;
  closed(): void;
  message(direction: 'in' | 'out'): void;
  /** Seconds from an update frame received to its ack sent. */
  updateStored(seconds: number): void;
}

/** How often a connection re-checks its token (S11: closed within seconds of a revocation). */
export const AUTH_RECHECK_MS = 1000;

/** One frame sent to many sockets (fan-out, presence) is serialised once. */
const frames = new WeakMap<ServerMessage, string>();
function frameOf(message: ServerMessage): string {
  let text = frames.get(message);
  if (text === undefined) {
    text = JSON.stringify(message);
    frames.set(message, text);
  }
  return text;
}

/** Backpressure (W7): above this many buffered bytes a peer stops getting frames and collects missed updates. */
export const HIGH_WATER_BYTES = 1024 * 1024;
/** A peer that falls this far behind is closed; it reconnects and catches up by state vector. */
export const MAX_MISSED_BYTES = 8 * 1024 * 1024;
/** Flood control (S9): a token bucket per connection. */
export const RATE = { burst: 200, perSecond: 100 } as const;
const HELLO_TIMEOUT_MS = 10_000;
/** How long a peer closed for being too slow gets to read the close frame before we drop it. */
const SLOW_CLOSE_GRACE_MS = 2_000;

/**
 * One device's WebSocket session (SPEC.md W1–W9): hello → welcome with what it missed, then
 * updates both ways, acks once durable, heartbeats, presence and handoffs.
 */
export function handleSyncConnection(
  hub: SyncHub,
  socket: WebSocket,
  auth: ConnectionAuth,
  options: { heartbeatMs?: number; observer?: SyncObserver } = {},
): void {
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const observer = options.observer;
  observer?.opened();
  const canWrite = auth.scopes.includes('watchlist:write');
  let peer: (HubPeer & { missed: Uint8Array[]; missedBytes: number; lagging: boolean }) | undefined;
  let tokens: number = RATE.burst;
  let lastRefill = Date.now();
  let lastHeard = Date.now();
  let drainTimer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let closing = false;

  const send = (message: ServerMessage) => {
    if (socket.readyState !== socket.OPEN) return;
    socket.send(frameOf(message));
    observer?.message('out');
  };
  const close = (code: number, reason: string) => {
    if (closing) return;
    closing = true;
    send({ v: 1, type: 'error', code: closeName(code), message: reason });
    socket.close(code, reason.slice(0, 120));
  };

  // S10: one user cannot hold more than the cap; this socket is refused before it costs anything.
  if (!hub.admit(auth.userId)) {
    closing = true;
    socket.close(CLOSE.TOO_MANY_CONNECTIONS, `more than ${hub.maxConnectionsPerUser} connections for this user`);
    return;
  }
  /** S11: false (and the connection closing) once the token no longer holds. */
  const authorised = (): boolean => {
    const problem = auth.check?.();
    if (problem === 'revoked') close(CLOSE.UNAUTHENTICATED, 'signed out: the access token was revoked');
    else if (problem === 'expired') close(CLOSE.TOKEN_EXPIRED, 'the access token expired: reconnect with a fresh one');
    return problem === undefined && !closing;
  };
  const authTimer = auth.check ? setInterval(authorised, AUTH_RECHECK_MS) : undefined;
  authTimer?.unref();

  const helloTimer = setTimeout(() => close(CLOSE.TIMEOUT, 'no hello within 10 s'), HELLO_TIMEOUT_MS);
  const heartbeat = setInterval(() => {
    if (Date.now() - lastHeard > heartbeatMs * 2.5) {
      socket.terminate();
      return;
    }
    send({ v: 1, type: 'ping', t: Date.now() });
  }, heartbeatMs);
  heartbeat.unref();

  const drain = () => {
    if (!peer?.lagging) return;
    if (socket.bufferedAmount > HIGH_WATER_BYTES / 2) {
      drainTimer = setTimeout(drain, 50);
      return;
    }
    const merged = Y.mergeUpdates(peer.missed);
    peer.missed = [];
    peer.missedBytes = 0;
    peer.lagging = false;
    send({ v: 1, type: 'update', update: toBase64(merged) });
  };

  const deliver = (message: ServerMessage) => {
    if (!peer || socket.readyState !== socket.OPEN) return;
    if (message.type === 'update' && (peer.lagging || socket.bufferedAmount > HIGH_WATER_BYTES)) {
      const bytes = fromBase64(message.update);
      peer.missed.push(bytes);
      peer.missedBytes += bytes.byteLength;
      if (peer.missedBytes > MAX_MISSED_BYTES) {
        close(CLOSE.GOING_AWAY, 'too slow: reconnect to catch up');
        // The close frame waits behind megabytes this peer is not reading, and ws would hold them
        // for its 30 s close timeout: drop the socket soon instead (memory per slow peer stays bounded).
        setTimeout(() => socket.terminate(), SLOW_CLOSE_GRACE_MS).unref();
        peer.missed = [];
        return;
      }
      if (!peer.lagging) {
        peer.lagging = true;
        drainTimer = setTimeout(drain, 50);
      }
      return;
    }
    send(message);
  };

  const onHello = async (msg: Extract<ReturnType<typeof ClientMessageSchema.parse>, { type: 'hello' }>) => {
    if (!authorised()) return;
    if (msg.userId !== undefined && msg.userId !== auth.userId)
      return close(CLOSE.FORBIDDEN, 'this connection can only reach its own user state');
    let clientVector: Uint8Array;
    try {
      clientVector = fromBase64(msg.stateVector);
      Y.decodeStateVector(clientVector);
    } catch {
      return close(CLOSE.MALFORMED, 'stateVector is not a yjs state vector');
    }
    if (msg.device && (canWrite || auth.scopes.includes('devices'))) {
      const info = msg.device;
      const known = await hub.read(auth.userId, (doc) => readDevices(doc).find((d) => d.id === msg.deviceId));
      if (
        !known ||
        known.name !== info.name ||
        known.type !== info.type ||
        known.capabilities.join() !== info.capabilities.join()
      ) {
        await hub.edit(auth.userId, (doc, clock) => putDevice(doc, msg.deviceId, { ...info, hlc: clock.tick() }));
      }
    }
    // The room is fetched last so nothing awaits between it and join (see SyncHub.join).
    const room = await hub.room(auth.userId);
    if (socket.readyState !== socket.OPEN) return;
    peer = { deviceId: msg.deviceId, deliver, missed: [], missedBytes: 0, lagging: false };
    send({
      v: 1,
      type: 'welcome',
      userId: auth.userId,
      deviceId: msg.deviceId,
      update: toBase64(Y.encodeStateAsUpdate(room.doc, clientVector)),
      stateVector: toBase64(Y.encodeStateVector(room.doc)),
      heartbeatMs,
      maxUpdateBytes: MAX_UPDATE_BYTES,
    });
    hub.join(auth.userId, peer, room);
  };

  const onUpdate = async (id: number, payload: string, receivedAt: number) => {
    if (!peer) return close(CLOSE.MALFORMED, 'send hello first');
    if (!canWrite)
      return send({
        v: 1,
        type: 'error',
        code: 'FORBIDDEN',
        message: 'this token lacks the "watchlist:write" scope',
        id,
      });
    if (!authorised()) return;
    let update: Uint8Array;
    try {
      update = fromBase64(payload);
    } catch {
      return send({ v: 1, type: 'error', code: 'INVALID_INPUT', message: 'update is not base64', id });
    }
    try {
      await hub.applyUpdate(auth.userId, update, peer);
      send({ v: 1, type: 'ack', id });
      observer?.updateStored((performance.now() - receivedAt) / 1000);
    } catch (error) {
      if (error instanceof SyncError)
        return send({ v: 1, type: 'error', code: error.code, message: error.message, id });
      close(CLOSE.INTERNAL, 'could not store the update; reconnect to retry');
    }
  };

  socket.on('message', (data, isBinary) => {
    if (closing) return;
    observer?.message('in');
    const receivedAt = performance.now();
    lastHeard = Date.now();
    const now = Date.now();
    tokens = Math.min(RATE.burst, tokens + ((now - lastRefill) / 1000) * RATE.perSecond);
    lastRefill = now;
    if (tokens < 1) return close(CLOSE.FLOOD, `more than ${RATE.perSecond} frames per second`);
    tokens -= 1;
    const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer).byteLength;
    if (size > MAX_FRAME_BYTES) return close(CLOSE.TOO_BIG, `frame over ${MAX_FRAME_BYTES} bytes`);
    if (isBinary) return close(CLOSE.MALFORMED, 'frames are JSON text');
    let raw: unknown;
    try {
      raw = JSON.parse(data.toString());
    } catch {
      return close(CLOSE.MALFORMED, 'frame is not JSON');
    }
    if (typeof raw === 'object' && raw !== null && (raw as { v?: unknown }).v !== PROTOCOL_VERSION) {
      return close(CLOSE.UNSUPPORTED_VERSION, `protocol version ${PROTOCOL_VERSION} only`);
    }
    const parsed = ClientMessageSchema.safeParse(raw);
    if (!parsed.success) return close(CLOSE.MALFORMED, `bad frame: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const msg = parsed.data;
    if (msg.type === 'ping') return send({ v: 1, type: 'pong', ...(msg.t !== undefined ? { t: msg.t } : {}) });
    if (msg.type === 'pong') return;
    // Frames of one connection are handled in order (an update never overtakes its hello).
    chain = chain
      .then(async () => {
        if (msg.type === 'hello') {
          if (peer) return close(CLOSE.MALFORMED, 'hello sent twice');
          clearTimeout(helloTimer);
          await onHello(msg);
        } else {
          await onUpdate(msg.id, msg.update, receivedAt);
        }
      })
      .catch(() => close(CLOSE.INTERNAL, 'internal error'));
  });

  socket.on('close', () => {
    observer?.closed();
    hub.release(auth.userId);
    clearTimeout(helloTimer);
    clearInterval(heartbeat);
    if (authTimer) clearInterval(authTimer);
    if (drainTimer) clearTimeout(drainTimer);
    if (peer) hub.leave(auth.userId, peer);
  });
}

function closeName(code: number): string {
  for (const [name, value] of Object.entries(CLOSE))
    if (value === code) return name === 'TOO_BIG' ? 'PAYLOAD_TOO_LARGE' : name;
  return 'ERROR';
}
