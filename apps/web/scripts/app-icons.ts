import { deflateSync } from 'node:zlib';

/**
 * The app's icons, drawn in code at build time (no design tool, no binary files in the repository):
 * a light-blue disc with a dark "play" triangle on the app's dark background. `maskable` icons fill
 * the whole square and keep the drawing inside the central 80 % circle that launchers never crop.
 */
const BG = [0x10, 0x14, 0x18] as const;
const ACCENT = [0x7c, 0xc4, 0xff] as const;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An RGBA image as a PNG file (8-bit, no interlace, filter 0 on every row). */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array()),
  ]);
}

type Layer = 'none' | 'bg' | 'accent';

/** What covers the point (x, y) in a unit square. */
function layerAt(x: number, y: number, maskable: boolean): Layer | 'play' {
  if (!maskable) {
    // A rounded square (radius 0.2) with transparent corners.
    const r = 0.2;
    const dx = Math.max(r - x, 0, x - (1 - r));
    const dy = Math.max(r - y, 0, y - (1 - r));
    if (dx * dx + dy * dy > r * r) return 'none';
  }
  const radius = maskable ? 0.3 : 0.36;
  const cx = x - 0.5;
  const cy = y - 0.5;
  if (cx * cx + cy * cy > radius * radius) return 'bg';
  // The play triangle, optically centred (shifted right by a little).
  const left = -0.34 * radius + 0.05 * radius;
  const right = 0.56 * radius + 0.05 * radius;
  const half = 0.5 * radius;
  if (cx >= left && cx <= right && Math.abs(cy) <= half * (1 - (cx - left) / (right - left))) return 'play';
  return 'accent';
}

/** The icon at `size` pixels, anti-aliased by 4×4 supersampling. */
export function iconPng(size: number, maskable = false): Buffer {
  const rgba = new Uint8Array(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++)
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < n; sy++)
        for (let sx = 0; sx < n; sx++) {
          const layer = layerAt((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size, maskable);
          if (layer === 'none') continue;
          const c = layer === 'accent' ? ACCENT : BG;
          r += c[0];
          g += c[1];
          b += c[2];
          a++;
        }
      const o = (py * size + px) * 4;
      if (a === 0) continue;
      rgba[o] = Math.round(r / a);
      rgba[o + 1] = Math.round(g / a);
      rgba[o + 2] = Math.round(b / a);
      rgba[o + 3] = Math.round((a / (n * n)) * 255);
    }
  return encodePng(size, size, rgba);
}

export const APP_ICONS = [
  { file: 'icons/icon-192.png', size: 192, maskable: false },
  { file: 'icons/icon-512.png', size: 512, maskable: false },
  { file: 'icons/icon-maskable-512.png', size: 512, maskable: true },
] as const;
