import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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
  after(async () => {
    await t.close();
  });

  it('--json prints exactly the API body', async () => {
    const { stdout } = await run(process.execPath, [
      CLI,
      'search',
      'korean dramas',
      '--limit',
      '3',
      '--json',
      '--url',
      url,
    ]);
    const api = await t.app.inject({
      method: 'POST',
      url: '/api/search',
      payload: { query: 'korean dramas', limit: 3 },
    });
    assert.deepEqual(JSON.parse(stdout), api.json());
  });

  it('prints results with links for people, and exits 2 with one line on bad input', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'search', 'squid game', '--service', 'netflix', '--url', url]);
    assert.match(stdout, /Squid Game/);
    assert.match(stdout, /https:\/\/www\.netflix\.com\//);
    await assert.rejects(
      run(process.execPath, [CLI, 'search', 'drama', '--service', 'foobarflix', '--url', url]),
      (e: { code: number; stderr: string }) => {
        assert.equal(e.code, 2);
        assert.equal(e.stderr.trim().split('\n').length, 1);
        return true;
      },
    );
  });

  it('with nothing meeting every constraint, prints the closest titles with what each misses', async () => {
    const { stdout } = await run(process.execPath, [
      CLI,
      'search',
      'scary movies on netflix under 2 hours',
      '--url',
      url,
    ]);
    assert.match(stdout, /no titles meet every constraint/);
    assert.match(stdout, /closest titles \(each with what it misses\):/);
    assert.match(
      stdout,
      /Bird Box[^\n]*\n {4}misses: 124 min — over your 2 hours\n {4}on Netflix, as of \d{4}-\d{2}-\d{2} \(stale\)\n/,
    );
    assert.match(stdout, /note: Sample data bundled with Media Gateway; availability as of \d{4}-\d{2}-\d{2}/);
  });

  it('titles that meet it all but are not streaming here are listed by id, with the date', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'search', 'films by christopher nolan', '--url', url]);
    assert.match(stdout, /no titles meet every constraint/);
    const listed =
      /\nnot streaming in US as of \d{4}-\d{2}-\d{2} \(watchlist one to hear when it is\):\n((?: {2}- .+\n)+)/.exec(
        stdout,
      );
    assert.ok(listed, stdout);
    const lines = listed[1]!.trimEnd().split('\n');
    assert.equal(lines.length, 4, stdout);
    for (const line of lines) assert.match(line, /^ {2}- .+ \(movie, \d{4}\) {2}mg_[a-z0-9]{12}$/);
    assert.ok(lines.some((l) => l.includes('Oppenheimer (movie, 2023)')));
  });

  it('a short answer comes first, then the closest others with what each misses', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'search', 'thriller under 90 minutes on hulu', '--url', url]);
    assert.match(stdout, /note: Only one title meets all of these in US/);
    assert.match(
      stdout,
      /\n 1\. The Handmaid's Tale[^\n]*\n[\s\S]*\nclosest others \(each with what it misses\):\n 1\. /,
    );
    assert.doesNotMatch(stdout, /no titles meet every constraint/);
  });

  it('sends the token when signed in, so "my services" uses the person\'s services; anonymous otherwise', async () => {
    // An empty config dir: no stored tokens from the machine running the tests.
    const dir = await mkdtemp(join(tmpdir(), 'mg-cli-search-'));
    try {
      const token = await t.token('u-search-cli', ['watchlist:read']);
      const put = await t.app.inject({
        method: 'PUT',
        url: '/api/me/settings',
        headers: { authorization: `Bearer ${token}` },
        payload: { services: ['netflix'] },
      });
      assert.equal(put.statusCode, 200);
      const cli = (tok: string) =>
        run(process.execPath, [CLI, 'search', 'dramas on my services', '--json', '--url', url], {
          env: { ...process.env, MG_CONFIG_DIR: dir, MG_TOKEN: tok },
        });
      const signedIn = JSON.parse((await cli(token)).stdout);
      assert.deepEqual(signedIn.understood.services, ['netflix']);
      assert.ok(signedIn.results.length > 0);
      for (const r of signedIn.results)
        assert.ok(
          r.offers.some((o: { platform: string }) => o.platform === 'netflix'),
          r.title,
        );
      const anon = JSON.parse((await cli('')).stdout);
      assert.deepEqual(anon.understood.services, []);
      assert.ok(anon.understood.notUnderstood.some((n: { text: string }) => n.text === 'my services'));
      // A token the server refuses: still a search, anonymous, with a note on stderr.
      const refused = await cli('not-a-valid-token');
      assert.deepEqual(JSON.parse(refused.stdout).understood.services, []);
      assert.match(refused.stderr, /searching anonymously/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
