import { IMAGE_HOSTS, isAllowedImageUrl } from '@media-gateway/domain';

/** The slice of `fetch` the proxy uses; injected so tests can point the real hosts at a local fake. */
export type FetchLike = (input: URL, init: RequestInit) => Promise<Response>;

/** Why an upstream image was not served. */
export type ImageFailure = 'off' | 'refused' | 'status' | 'type' | 'too-large' | 'timeout' | 'network';

export type FetchedImage = { ok: true; bytes: Buffer; type: string } | { ok: false; reason: ImageFailure };

/** Raster types we pass on; nothing is resized or re-encoded, so no image library is needed. */
const RASTER = ['image/jpeg', 'image/png', 'image/webp'];
/** Streaming Availability's service logos are svg; they go out with a sandboxing CSP (routes/images.ts). */
const SVG_HOSTS = new Set([IMAGE_HOSTS['streaming-availability']]);

export function acceptedTypes(url: URL): string[] {
  return SVG_HOSTS.has(url.hostname) ? [...RASTER, 'image/svg+xml'] : RASTER;
}

/**
 * The bytes really are what the header says (magic numbers): a host answering an HTML error page
 * labelled image/jpeg is not passed on as an image.
 */
function looksLike(type: string, b: Buffer): boolean {
  switch (type) {
    case 'image/jpeg':
      return b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
    case 'image/png':
      return b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    case 'image/webp':
      return b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP';
    case 'image/svg+xml':
      return /^(\ufeff)?\s*</.test(b.subarray(0, 64).toString('utf8'));
    default:
      return false;
  }
}

/** Reads a body up to `max` bytes; undefined when it is longer (the rest is not downloaded). */
async function readCapped(res: Response, max: number): Promise<Buffer | undefined> {
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks, total);
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(Buffer.from(value));
  }
}

/**
 * One upstream image: only an allow-listed https URL (never one from a request), no redirects
 * (a redirect could lead off the list), a 200 with an accepted image type whose bytes match it, at
 * most `maxBytes`, within `timeoutMs`. Every failure is a reason, never a throw.
 */
export async function fetchImage(
  fetchFn: FetchLike,
  url: URL,
  options: { timeoutMs: number; maxBytes: number },
): Promise<FetchedImage> {
  if (!isAllowedImageUrl(url)) return { ok: false, reason: 'refused' };
  const accepted = acceptedTypes(url);
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const res = await fetchFn(url, {
      redirect: 'manual',
      signal,
      headers: { accept: accepted.join(', '), 'user-agent': 'media-gateway-images' },
    });
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => {});
      return { ok: false, reason: 'status' };
    }
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!accepted.includes(type)) {
      await res.body?.cancel().catch(() => {});
      return { ok: false, reason: 'type' };
    }
    if (Number(res.headers.get('content-length') ?? 0) > options.maxBytes) {
      await res.body?.cancel().catch(() => {});
      return { ok: false, reason: 'too-large' };
    }
    const bytes = await readCapped(res, options.maxBytes);
    if (!bytes) return { ok: false, reason: 'too-large' };
    if (!looksLike(type, bytes)) return { ok: false, reason: 'type' };
    return { ok: true, bytes, type };
  } catch {
    return { ok: false, reason: signal.aborted ? 'timeout' : 'network' };
  }
}
