import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../src/config.ts';
import { type RunningServer, startServer } from '../src/server.ts';

interface Body {
  understood: { notes: string[] };
  results: Array<{ title: string; why: string }>;
}

/**
 * A server (api role) started before the suite on a fresh data dir, embedded PGlite with the bundled sample, so
 * the index is trained and saved there; stopped and removed after it.
 */
function sampleServer(env: Record<string, string>): { readonly server: RunningServer } {
  const state = {} as { server: RunningServer };
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mg-search-start-'));
    state.server = await startServer(
      loadConfig({
        MG_DATA_DIR: dir,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        MG_API_RATE_LIMIT: '0',
        MG_API_RATE_LIMIT_ANONYMOUS: '0',
        MG_SAMPLE_CATALOG: 'auto',
        MG_ROLE: 'api',
        ...env,
      }),
    );
  });
  after(async () => {
    await state.server.close();
    await rm(dir, { recursive: true, force: true });
  });
  return state;
}

/**
 * A started server loads the search index in the background (decision 0054): searches are answered
 * at once (words only, said in understood.notes) and use the vectors once the load is over.
 */
describe('search at server start (background index load)', () => {
  const started = sampleServer({});

  const search = async (query: string): Promise<Body> => {
    const res = await fetch(`${started.server.url}/api/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    assert.equal(res.status, 200);
    return (await res.json()) as Body;
  };
  const loading = (b: Body) => b.understood.notes.some((n) => n.includes('still loading'));

  it('answers the first search without waiting, then switches to the loaded index', async () => {
    const first = await search('squid game');
    assert.ok(
      first.results.some((r) => r.title === 'Squid Game'),
      JSON.stringify(first.results.map((r) => r.title)),
    );
    if (loading(first)) for (const r of first.results) assert.ok(!r.why.includes('close in meaning'), r.why);
    let ready: Body | undefined;
    for (let i = 0; i < 240 && !ready; i++) {
      const b = await search('haunted house');
      if (!loading(b)) ready = b;
      else await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(ready, 'the index finished loading within 60 s');
  });
});

/**
 * Search worker threads (decision 0124) start once the server's index is ready, one after the other, before any
 * search arrives: the loads happen at start, not under the first searches' load.
 */
describe('search worker threads at server start', () => {
  const started = sampleServer({ MG_SEARCH_WORKERS: '2' });

  it('brings every worker up without a search to start them', async () => {
    let up = '';
    let metrics = '';
    for (let i = 0; i < 240 && up !== '2'; i++) {
      metrics = await (await fetch(`${started.server.url}/metrics`)).text();
      up = /^mg_search_workers_up (\d+)$/m.exec(metrics)?.[1] ?? '';
      if (up !== '2') await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal(up, '2', 'both worker threads up within 60 s, no search sent');
    assert.match(metrics, /^mg_search_workers 2$/m, 'as many as configured');
  });
});
