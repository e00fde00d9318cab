/** Small dense-vector helpers on Float32Array; the whole model is plain TypeScript math. */

export function dot(a: Float32Array, aOff: number, b: Float32Array, bOff: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[aOff + i]! * b[bOff + i]!;
  return s;
}

/** y += alpha * x (over n entries, with offsets). */
export function axpy(alpha: number, x: Float32Array, xOff: number, y: Float32Array, yOff: number, n: number): void {
  for (let i = 0; i < n; i++) y[yOff + i]! += alpha * x[xOff + i]!;
}

export function normalizeInPlace(v: Float32Array, off = 0, n = v.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += v[off + i]! * v[off + i]!;
  const norm = Math.sqrt(s);
  if (norm > 0) for (let i = 0; i < n; i++) v[off + i]! /= norm;
  return norm;
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** FNV-1a 32-bit: a stable hash so content vectors are identical across processes and retrains. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
