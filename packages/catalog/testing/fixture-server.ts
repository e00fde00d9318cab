import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/** A recorded-shape fixture from packages/catalog/src/sources/<source>/fixtures/. */
export function fixture(source: string, name: string): string {
  return readFileSync(fileURLToPath(new URL(`../src/sources/${source}/fixtures/${name}`, import.meta.url)), 'utf8');
}

export function fixtureJson(source: string, name: string): unknown {
  return JSON.parse(fixture(source, name));
}

export interface FixtureRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FixtureResponse {
  status?: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string or Buffer is sent as is (truncated bodies, gzip files). */
  body?: unknown;
  delayMs?: number;
}

export type Route = (req: FixtureRequest) => FixtureResponse | undefined;

export interface FixtureServer {
  url: string;
  requests: FixtureRequest[];
  /**
   * Answers the next `count` requests matching `path` (substring;
   * any when omitted) with `response` before the routes see them.
   */
  fail(count: number, response: FixtureResponse, path?: string): void;
  /** Delay added to every answer (to make a run slow enough to kill mid-way). */
  delayMs: number;
  close(): Promise<void>;
}

/**
 * A local stand-in for an outside API we cannot reach: node:http on 127.0.0.1 and a random port,
 * serving the documented response shapes from the fixture files, plus scripted faults
 * (429 with Retry-After, 5xx bursts, malformed bodies, quota errors).
 */
export async function startFixtureServer(route: Route): Promise<FixtureServer> {
  const requests: FixtureRequest[] = [];
  const faults: Array<{ remaining: number; response: FixtureResponse; path?: string | undefined }> = [];
  const state = { delayMs: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const fr: FixtureRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(fr);
      const fault = faults.find((f) => f.remaining > 0 && (!f.path || fr.path.includes(f.path)));
      if (fault) fault.remaining--;
      const answer = fault?.response ??
        route(fr) ?? {
          status: 404,
          body: { status_code: 34, status_message: 'The resource you requested could not be found.' },
        };
      const send = () => {
        const text =
          typeof answer.body === 'string' || Buffer.isBuffer(answer.body)
            ? answer.body
            : answer.body === undefined
              ? ''
              : JSON.stringify(answer.body);
        res.writeHead(answer.status ?? 200, {
          'content-type': 'application/json;charset=utf-8',
          ...(answer.headers ?? {}),
        });
        res.end(text);
      };
      const delay = (answer.delayMs ?? 0) + state.delayMs;
      if (delay > 0) setTimeout(send, delay);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    fail: (count, response, path) => faults.push({ remaining: count, response, path }),
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(v: number) {
      state.delayMs = v;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
