import { crc32, deflateSync } from 'node:zlib';
import { type FixtureResponse, type FixtureServer, startFixtureServer } from '@media-gateway/catalog/testing';
import type { FetchLike } from '../src/images/image-fetch.ts';

/** A real PNG (8-bit RGB, one colour): browsers decode it, the proxy's magic-number check accepts it. */
export function pngBytes(width: number, height: number, rgb: [number, number, number] = [200, 60, 40]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB, default compression/filter/interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export interface FakeImageHost {
  server: FixtureServer;
  /** Every URL the gateway asked for, with its real host (before it was sent to loopback). */
  asked: string[];
  /** The proxy's fetch: same path and query, sent to the fake on 127.0.0.1 instead of the real host. */
  fetch: FetchLike;
  close(): Promise<void>;
}

/**
 * A stand-in for the outside image hosts (image.tmdb.org, images.justwatch.com, cdn.watchmode.com)
 * on loopback, answering by path. The gateway keeps its real allow-list and builds real URLs; only
 * the connection goes to the fake, the way a DNS override would.
 */
export async function startFakeImageHost(
  routes: Record<string, FixtureResponse | (() => FixtureResponse)>,
): Promise<FakeImageHost> {
  const server = await startFixtureServer((req) => {
    const r = routes[req.path];
    return typeof r === 'function' ? r() : r;
  });
  const asked: string[] = [];
  return {
    server,
    asked,
    fetch: (url, init) => {
      asked.push(url.toString());
      return fetch(new URL(`${url.pathname}${url.search}`, server.url), init);
    },
    close: () => server.close(),
  };
}

export const png = (bytes: Buffer): FixtureResponse => ({ headers: { 'content-type': 'image/png' }, body: bytes });
