import { CONTENT_DIM } from './content-vectors.ts';
import { ADAPTER_RANK, PARAMS, type AdapterOptions, DEFAULT_ADAPTER_OPTIONS, UserAdapter } from './user-adapter.ts';

const MAGIC = 0x534f4e41; // "SONA"
const VERSION = 1;
/** The persisted adapter must stay under this (the budget). */
export const MAX_ADAPTER_BYTES = 64 * 1024;

/**
 * Binary layout (little endian): magic u32, version u16, dim u16, rank u16, events u32,
 * sinceConsolidation u16, history count u16, θ | anchor | Fisher | Fisher accumulator (f32 each),
 * then per history entry: id length u8, id UTF-8, weight f32, at f64, excluded u8.
 */
export function encodeAdapter(a: UserAdapter): Uint8Array {
  let entries = [...a.history.entries()];
  let ids = entries.map(([id]) => Buffer.from(id, 'utf8').subarray(0, 255));
  let size = 18 + 4 * PARAMS * 4 + ids.reduce((s, b) => s + 1 + b.length + 13, 0);
  // Over budget (only with unusually long ids): drop the oldest history entries, never the weights.
  let drop = 0;
  while (size > MAX_ADAPTER_BYTES && drop < ids.length) size -= 1 + ids[drop++]!.length + 13;
  if (drop > 0) {
    entries = entries.slice(drop);
    ids = ids.slice(drop);
  }
  const buf = Buffer.alloc(size);
  let o = 0;
  o = buf.writeUInt32LE(MAGIC, o);
  o = buf.writeUInt16LE(VERSION, o);
  o = buf.writeUInt16LE(CONTENT_DIM, o);
  o = buf.writeUInt16LE(ADAPTER_RANK, o);
  o = buf.writeUInt32LE(a.events >>> 0, o);
  o = buf.writeUInt16LE(a.sinceConsolidation, o);
  o = buf.writeUInt16LE(ids.length, o);
  for (const arr of [a.theta, a.anchor, a.fisher, a.fisherAcc]) {
    Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength).copy(buf, o);
    o += arr.byteLength;
  }
  let i = 0;
  for (const [, h] of entries) {
    const id = ids[i++]!;
    o = buf.writeUInt8(id.length, o);
    o += id.copy(buf, o);
    o = buf.writeFloatLE(h.weight, o);
    o = buf.writeDoubleLE(h.at, o);
    o = buf.writeUInt8(h.excluded ? 1 : 0, o);
  }
  return new Uint8Array(buf.buffer, buf.byteOffset, o);
}

/** Returns undefined for bytes from another layout (dimension or rank changed): the user starts fresh. */
export function decodeAdapter(
  userId: string,
  bytes: Uint8Array,
  options: AdapterOptions = DEFAULT_ADAPTER_OPTIONS,
): UserAdapter | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 18 || buf.readUInt32LE(0) !== MAGIC || buf.readUInt16LE(4) !== VERSION) return undefined;
  if (buf.readUInt16LE(6) !== CONTENT_DIM || buf.readUInt16LE(8) !== ADAPTER_RANK) return undefined;
  const a = new UserAdapter(userId, options);
  a.events = buf.readUInt32LE(10);
  a.sinceConsolidation = buf.readUInt16LE(14);
  const count = buf.readUInt16LE(16);
  let o = 18;
  for (const arr of [a.theta, a.anchor, a.fisher, a.fisherAcc]) {
    const bytesLen = arr.byteLength;
    const copy = new Uint8Array(arr.buffer, arr.byteOffset, bytesLen);
    copy.set(buf.subarray(o, o + bytesLen));
    o += bytesLen;
  }
  for (let i = 0; i < count; i++) {
    const len = buf.readUInt8(o);
    o += 1;
    const id = buf.toString('utf8', o, o + len);
    o += len;
    const weight = buf.readFloatLE(o);
    const at = buf.readDoubleLE(o + 4);
    const excluded = buf.readUInt8(o + 12) === 1;
    o += 13;
    a.history.set(id, { weight, at, excluded });
  }
  return a;
}
