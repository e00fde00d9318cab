/**
 * bench:sync-flood — issue 14 item 1: one ordinary token opens `--sockets` (default 1,000) /sync
 * connections with hello against a real gateway process, while this process probes /healthz every
 * 10 ms. Before the per-user cap and coalesced presence, 800 such sockets stalled /healthz for 9.8 s.
 * Prints {sockets, admitted, refused_4430, other_close, healthz: {probes, p50_ms, p99_ms, max_ms}}
 * as the last stdout line. Embedded PGlite in a temp dir; nothing else needed.
 * Usage: npm run bench:sync-flood -- [--sockets 1000] [--json]
 */
import { performance } from 'node:perf_hooks';
import { scriptArgs } from '@media-gateway/testkit/script-args';
import { CLOSE, toBase64 } from '@media-gateway/sync';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { mintTokens, startGateway, tempDataDir } from '../test/sync-process-helpers.ts';

const { values } = scriptArgs(import.meta.url, {
  options: { json: { type: 'boolean' }, sockets: { type: 'string' } },
  strict: true,
});
const count = Number(values.sockets ?? 1000);
if (!Number.isInteger(count) || count < 1 || count > 5000) {
  console.error('--sockets must be a whole number from 1 to 5000');
  process.exit(2);
}

const dataDir = await tempDataDir();
const token = await mintTokens({ dataDir }, 'flooder', ['watchlist:read', 'watchlist:write', 'devices']);
const gw = await startGateway({ MG_DATA_DIR: dataDir });
const hello = JSON.stringify({
  v: 1,
  type: 'hello',
  deviceId: 'd',
  stateVector: toBase64(Y.encodeStateVector(new Y.Doc())),
});

const latencies: number[] = [];
let probing = true;
const probe = (async () => {
  while (probing) {
    const t0 = performance.now();
    const res = await fetch(`${gw.http}/healthz`);
    await res.arrayBuffer();
    latencies.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 10));
  }
})();

const codes: number[] = [];
const sockets: WebSocket[] = [];
// Open in waves of 100 (the probe's "another process" is the gateway's point of view: this one is the client).
for (let i = 0; i < count; i += 100) {
  const wave = Array.from({ length: Math.min(100, count - i) }, (_, k) => {
    const ws = new WebSocket(gw.ws, ['mg-sync.v1', `bearer.${token}`]);
    sockets.push(ws);
    return new Promise<void>((done) => {
      // Still open after 3 s: admitted (0). Closed before: the close code.
      const settle = (code: number) => {
        clearTimeout(timer);
        codes.push(code);
        done();
      };
      const timer = setTimeout(() => {
        ws.removeAllListeners('close');
        settle(0);
      }, 3000);
      ws.once('open', () => ws.send(hello.replace('"d"', `"d${i + k}"`)));
      ws.once('close', (code) => settle(code));
      ws.once('error', () => {});
    });
  });
  await Promise.all(wave);
}
await new Promise((r) => setTimeout(r, 1000));
probing = false;
await probe;
for (const ws of sockets) ws.terminate();
await gw.stop();

const sorted = [...latencies].sort((a, b) => a - b);
const q = (p: number) =>
  Math.round((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0) * 100) / 100;
const result = {
  sockets: count,
  admitted: codes.filter((c) => c === 0).length,
  refused_4430: codes.filter((c) => c === CLOSE.TOO_MANY_CONNECTIONS).length,
  other_close: codes.filter((c) => c !== 0 && c !== CLOSE.TOO_MANY_CONNECTIONS).length,
  healthz: { probes: sorted.length, p50_ms: q(0.5), p99_ms: q(0.99), max_ms: q(1) },
};
console.log(values.json ? JSON.stringify(result) : result);
