import * as Y from 'yjs';
import { ROOT_RULES, ROOTS, type RootName } from './user-state.ts';

/** Largest single update we accept (decoded bytes). Documented in SPEC.md S8. */
export const MAX_UPDATE_BYTES = 256 * 1024;
/** Largest number of structs (items) in one update: caps the work one frame can cause. */
export const MAX_UPDATE_STRUCTS = 5_000;

export type UpdateCheck = { ok: true } | { ok: false; code: 'PAYLOAD_TOO_LARGE' | 'INVALID_INPUT'; reason: string };

const ANY_VALUE = Object.values(ROOT_RULES).map((r) => r.value);

/**
 * Checks a yjs update before it touches the user's state (S8): it must decode, stay under the caps,
 * and only insert plain JSON values into our root maps. Items that continue an existing key (their
 * parent is implied by an origin already in the document) carry no parent in the encoding; their
 * value must still match one of our entry shapes, and readers ignore values of the wrong shape.
 */
export function validateUpdate(update: Uint8Array): UpdateCheck {
  if (update.byteLength > MAX_UPDATE_BYTES) {
    return {
      ok: false,
      code: 'PAYLOAD_TOO_LARGE',
      reason: `update is ${update.byteLength} bytes; the cap is ${MAX_UPDATE_BYTES}`,
    };
  }
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return { ok: false, code: 'INVALID_INPUT', reason: 'not a yjs update' };
  }
  if (decoded.structs.length > MAX_UPDATE_STRUCTS) {
    return {
      ok: false,
      code: 'PAYLOAD_TOO_LARGE',
      reason: `update has ${decoded.structs.length} items; the cap is ${MAX_UPDATE_STRUCTS}`,
    };
  }
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue; // GC and Skip structs carry no content
    const content = struct.content;
    if (content instanceof Y.ContentDeleted) continue;
    if (!(content instanceof Y.ContentAny))
      return { ok: false, code: 'INVALID_INPUT', reason: `unsupported content ${content.constructor.name}` };
    if (content.arr.length !== 1)
      return { ok: false, code: 'INVALID_INPUT', reason: 'map entries hold exactly one value' };
    const value = content.arr[0];
    const parent = struct.parent;
    if (typeof parent === 'string') {
      if (!(ROOTS as readonly string[]).includes(parent))
        return { ok: false, code: 'INVALID_INPUT', reason: `unknown root "${parent}"` };
      const rule = ROOT_RULES[parent as RootName];
      const key = struct.parentSub;
      if (key === null || !rule.key.test(key))
        return { ok: false, code: 'INVALID_INPUT', reason: `bad key in ${parent}` };
      if (!rule.value.safeParse(value).success)
        return { ok: false, code: 'INVALID_INPUT', reason: `bad value for ${parent}.${key}` };
    } else if (parent === null) {
      if (!ANY_VALUE.some((schema) => schema.safeParse(value).success))
        return { ok: false, code: 'INVALID_INPUT', reason: 'value matches no entry shape' };
    } else {
      // Parent given as an ID means a nested type: we never create those.
      return { ok: false, code: 'INVALID_INPUT', reason: 'nested types are not allowed' };
    }
  }
  return { ok: true };
}
