import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { createTestApp, type TestApp } from './test-app.ts';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '..', '..', 'cli', 'bin', 'media-gateway.js');

/** The real `media-gateway search` binary against a gateway listening on a random loopback port. */
describe('media-gateway search (CLI over HTTP)', () => {
  let t: TestApp;
  let url: string;
  before(async () => {
    t = await createTestApp({ sample: true, env: { MG_SEARCH_INDEX: 'memory' } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  after(async () => { await t.close(); });

  it('--json prints exactly the API body', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'search', 'korean dramas', '--limit', '3', '--json', '--url', url]);
    const api = await t.app.inject({ method: 'POST', url: '/api/search', payload: { query: 'korean dramas', limit: 3 } });
    assert.deepEqual(JSON.parse(stdout), api.json());
  });

  it('prints results with links for people, and exits 2 with one line on bad input', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'search', 'squid game', '--service', 'netflix', '--url', url]);
    assert.match(stdout, /Squid Game/);
    assert.match(stdout, /https:\/\/www\.netflix\.com\//);
    await assert.rejects(run(process.execPath, [CLI, 'search', 'drama', '--service', 'foobarflix', '--url', url]), (e: { code: number; stderr: string }) => {
      assert.equal(e.code, 2);
      assert.equal(e.stderr.trim().split('\n').length, 1);
      return true;
    });
  });
});
