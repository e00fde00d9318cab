import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../src/app.ts';
import { gatewayLogger, redactedUrl } from '../src/server.ts';
import { rawSocket } from './sync-helpers.ts';
import { createTestApp, type TestApp } from './test-app.ts';

/** A log destination that keeps each line, for reading what the server logged. */
function logLines(): { lines: string[]; sink: Writable } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, sink };
}

describe('request logs hold no credentials', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  test('a sync frame over the size cap is logged as the client breaking the protocol, not as a server error', async () => {
    const { lines, sink } = logLines();
    // Its own server: closing an app built on a context closes that context too.
    const own = await createTestApp();
    const app = await buildApp(own.ctx, { logger: gatewayLogger('info', sink) as never });
    try {
      const address = await app.listen({ port: 0, host: '127.0.0.1' });
      const raw = rawSocket(`${address.replace('http', 'ws')}/sync`, await own.token('big-frames', ['watchlist:read']));
      await raw.opened;
      raw.socket.send('x'.repeat(400 * 1024));
      assert.equal((await raw.closed).code, 1009);
    } finally {
      await app.close();
      await own.close();
    }
    assert.ok(
      lines.some((l) => l.includes('client broke the protocol') && l.includes('WS_ERR_UNSUPPORTED_MESSAGE_LENGTH')),
      lines.join('\n'),
    );
    assert.ok(!lines.some((l) => l.includes('"level":50')), 'nothing at error level');
  });

  test('the calendar token, device codes and OAuth codes in a URL are logged as REDACTED; the rest stays', async () => {
    const { lines, sink } = logLines();
    const app = await buildApp(t.ctx, { logger: gatewayLogger('info', sink) as never });
    await app.inject({ url: '/api/me/alerts/leaving.ics?token=feed_SECRET123' });
    await app.inject({ url: '/device?user_code=RVNW-XTVZ&lang=en' });
    await app.inject({ url: '/healthz' });
    await app.inject({ url: '/readyz' });
    // Signed out, the device page sends the visitor to sign in with the code inside return_to.
    await app.inject({ url: '/auth/login?return_to=%2Fdevice%3Fuser_code%3DQWER-TYUI' });
    // A probe that fails is logged.
    t.ctx.lifecycle.draining = true;
    await app.inject({ url: '/readyz' });
    t.ctx.lifecycle.draining = false;
    await app.close();
    const logged = lines.join('\n');
    assert.match(logged, /leaving\.ics\?token=REDACTED/);
    assert.match(logged, /\/device\?user_code=REDACTED&lang=en/);
    assert.doesNotMatch(logged, /feed_SECRET123|RVNW-XTVZ/);
    assert.doesNotMatch(logged, /QWER-TYUI/);
    assert.match(logged, /return_to=%2Fdevice%3Fuser_code%3DREDACTED/);
    // Probes that answer are not logged (a balancer's every-few-seconds checks would fill the log); one that fails is.
    assert.doesNotMatch(logged, /"url":"\/healthz"/);
    assert.equal(
      lines.filter((l) => l.includes('/readyz')).length,
      1,
      lines.filter((l) => l.includes('readyz')).join('\n'),
    );
    assert.match(lines.find((l) => l.includes('/readyz'))!, /probe failed.*|"reason":"draining"/);
  });

  test('redactedUrl leaves URLs without such parameters alone', () => {
    assert.equal(redactedUrl('/api/search?q=heist&limit=5'), '/api/search?q=heist&limit=5');
    assert.equal(redactedUrl('/oauth/callback?code=abc&state=xyz'), '/oauth/callback?code=REDACTED&state=REDACTED');
  });
});
