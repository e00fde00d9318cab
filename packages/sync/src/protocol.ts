import type { Notification } from '@media-gateway/domain/contracts';
import { z } from 'zod';
import { DEVICE_ID, DEVICE_TYPES } from './user-state.ts';

/**
 * Wire protocol v1 over WebSocket (SPEC.md W1–W9). Text frames of JSON, discriminated on `type`;
 * binary yjs payloads travel as base64 (decision 0041). Every frame carries `v`.
 */
export const PROTOCOL_VERSION = 1;
/** Sec-WebSocket-Protocol values: the protocol itself, and `bearer.<token>` for browsers that cannot set headers. */
export const SUBPROTOCOL = 'mg-sync.v1';
export const BEARER_PREFIX = 'bearer.';
/** Largest frame accepted: a maximum-size update in base64 plus the envelope. */
export const MAX_FRAME_BYTES = 360 * 1024;
export const HEARTBEAT_MS = 15_000;

/** Close codes (4000–4999 are ours). */
export const CLOSE = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  /** RFC 6455 "Service Restart": this server is draining; reconnect now (a load balancer picks another). */
  SERVICE_RESTART: 1012,
  TOO_BIG: 1009,
  MALFORMED: 4400,
  UNAUTHENTICATED: 4401,
  FORBIDDEN: 4403,
  TIMEOUT: 4408,
  FLOOD: 4429,
  /** This user already holds the most connections a user may have (SPEC.md S10). */
  TOO_MANY_CONNECTIONS: 4430,
  /** The access token expired: reconnect with a fresh one (not fatal, unlike 4401). */
  TOKEN_EXPIRED: 4440,
  UNSUPPORTED_VERSION: 4426,
  INTERNAL: 4500,
} as const;

const b64 = z
  .string()
  .max(MAX_FRAME_BYTES)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/);
const v = z.literal(PROTOCOL_VERSION);
const DeviceInfo = z
  .object({
    name: z.string().min(1).max(80),
    // "mobile" is what the recommender and MCP call a phone: a client may register with either name.
    type: z.enum([...DEVICE_TYPES, 'mobile']).transform((t) => (t === 'mobile' ? 'phone' : t)),
    capabilities: z.array(z.string().max(40)).max(20).default([]),
  })
  .strict();

export const ClientMessageSchema = z.discriminatedUnion('type', [
  // First frame: who this device is and what it has (its state vector).
  z
    .object({
      v,
      type: z.literal('hello'),
      deviceId: z.string().regex(DEVICE_ID),
      stateVector: b64,
      device: DeviceInfo.optional(),
      userId: z.string().max(200).optional(),
    })
    .strict(),
  // A local edit; `id` comes back in the ack once it is durable.
  z.object({ v, type: z.literal('update'), id: z.number().int().nonnegative(), update: b64 }).strict(),
  z.object({ v, type: z.literal('ping'), t: z.number().optional() }).strict(),
  z.object({ v, type: z.literal('pong'), t: z.number().optional() }).strict(),
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

/**
 * An alert for the person (availability alerts, decision 0120), pushed live to each connected
 * device (W8). Added to protocol v1 without a version bump: clients ignore frame types they do not
 * know, and the notification centre (`GET /api/me/notifications`) holds every notification, so a
 * device that was offline or runs an older client misses nothing.
 */
export type LiveNotification = Notification;

export type ServerMessage =
  | {
      v: 1;
      type: 'welcome';
      userId: string;
      deviceId: string;
      update: string;
      stateVector: string;
      heartbeatMs: number;
      maxUpdateBytes: number;
    }
  | { v: 1; type: 'update'; update: string }
  | { v: 1; type: 'ack'; id: number }
  | { v: 1; type: 'presence'; online: string[] }
  | {
      v: 1;
      type: 'handoff';
      id: string;
      titleId: string;
      positionSeconds: number | null;
      link: unknown;
      fromDevice: string;
    }
  | { v: 1; type: 'notification'; notification: LiveNotification }
  | { v: 1; type: 'error'; code: string; message: string; id?: number }
  | { v: 1; type: 'ping'; t: number }
  | { v: 1; type: 'pong'; t?: number };

// Base64 without Buffer, so the client half runs in browsers too.
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
