import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ingest, sampleSource } from '@media-gateway/catalog';
import type { Db } from '@media-gateway/db';
import { DomainError, settingValues } from '@media-gateway/domain';
import { freshDb } from '@media-gateway/testkit';
import { dot } from '../src/embed/embedder.ts';
import { OpenAiEmbedder } from '../src/embed/openai-embedder.ts';
import { createSearchService } from '../src/index.ts';
import { SEARCH_SETTINGS, searchSettings } from '../src/settings.ts';

const DIMS = 24;

/** A deterministic stand-in for a real model: hashed bag of words, not normalised (the client normalises). */
function fakeEmbedding(text: string): number[] {
  const v = new Array<number>(DIMS).fill(0);
  for (const w of text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)) {
    let h = 2166136261;
    for (const ch of w) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
    v[(h >>> 0) % DIMS]! += 1 + ((h >>> 8) % 3);
  }
  return v;
}

interface Seen {
  path: string;
  authorization: string | undefined;
  body: { model: string; input: string[] };
}

/**
 * A loopback server speaking the OpenAI `/v1/embeddings` wire format: `{"object":"list","data":[{"object":
 * "embedding","index":i,"embedding":[…]}],"model":…,"usage":{…}}`, its data deliberately in reverse order.
 */
async function startEmbeddingsServer(): Promise<{
  url: string;
  seen: Seen[];
  fail: { status?: number; body?: string };
  server: Server;
}> {
  const seen: Seen[] = [];
  const fail: { status?: number; body?: string } = {};
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let s = '';
      req.on('data', (c: Buffer) => {
        s += c.toString();
      });
      req.on('end', () => resolve(s));
    });
  const server = createServer(async (req, res) => {
    const body = JSON.parse(await read(req)) as Seen['body'];
    seen.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
    if (fail.status) {
      res.writeHead(fail.status, { 'content-type': 'application/json' });
      res.end(fail.body ?? '{"error":{"message":"boom","type":"server_error"}}');
      return;
    }
    if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
      res.writeHead(404).end();
      return;
    }
    const data = body.input.map((text, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(text) }));
    const tokens = body.input.reduce((n, t) => n + t.split(/\s+/).length, 0);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        object: 'list',
        data: data.reverse(),
        model: body.model,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1`, seen, fail, server };
}

describe('OpenAI-compatible embedder against a loopback /v1/embeddings server', () => {
  let srv: Awaited<ReturnType<typeof startEmbeddingsServer>>;
  before(async () => {
    srv = await startEmbeddingsServer();
  });
  after(async () => {
    await new Promise((resolve) => srv.server.close(resolve));
  });

  it('sends the model, the input list and the key; answers unit vectors in input order', async () => {
    srv.seen.length = 0;
    const e = new OpenAiEmbedder({ baseUrl: `${srv.url}/`, model: 'test-embed', apiKey: 'sk-local', dimensions: DIMS });
    const [a, b] = await e.embedDocuments([
      { title: 'Ghost Harbor', description: 'a haunted harbor', genres: ['horror'], people: [], countries: [] },
      { title: 'Wedding Days', description: 'a bride', genres: ['romance'], people: [], countries: [] },
    ]);
    assert.equal(srv.seen.length, 1);
    assert.equal(srv.seen[0]!.path, '/v1/embeddings');
    assert.equal(srv.seen[0]!.authorization, 'Bearer sk-local');
    assert.equal(srv.seen[0]!.body.model, 'test-embed');
    assert.deepEqual(srv.seen[0]!.body.input, [
      'Ghost Harbor. horror. a haunted harbor',
      'Wedding Days. romance. a bride',
    ]);
    assert.ok(Math.abs(dot(a!, a!) - 1) < 1e-6 && Math.abs(dot(b!, b!) - 1) < 1e-6);
    // The server answered in reverse order: the client puts them back by `index`.
    const q = (await e.embedQuery('Ghost Harbor. horror. a haunted harbor'))!;
    assert.ok(Math.abs(dot(q, a!) - 1) < 1e-6);
    assert.equal(e.name, 'openai:test-embed');
  });

  it('asks the endpoint for its dimensions when none are configured, and batches documents by 128', async () => {
    srv.seen.length = 0;
    const e = new OpenAiEmbedder({ baseUrl: srv.url, model: 'm' });
    assert.throws(() => e.dimensions);
    await e.prepare();
    assert.equal(e.dimensions, DIMS);
    assert.equal(srv.seen[0]!.authorization, undefined);
    const docs = Array.from({ length: 130 }, (_, i) => ({
      title: `T${i}`,
      description: `word${i}`,
      genres: [],
      people: [],
      countries: [],
    }));
    const out = await e.embedDocuments(docs);
    assert.equal(out.length, 130);
    assert.deepEqual(
      srv.seen.slice(1).map((s) => s.body.input.length),
      [128, 2],
    );
    const last = (await e.embedQuery('T129.  word129'))!;
    assert.ok(Math.abs(dot(last, out[129]!) - 1) < 1e-6);
  });

  it(
    'an endpoint that fails, answers another shape or is not ' +
      'there is UPSTREAM_UNAVAILABLE, never a made-up vector',
    async () => {
      const e = new OpenAiEmbedder({ baseUrl: srv.url, model: 'm', dimensions: DIMS });
      const upstream = (reason: string) => (error: unknown) =>
        error instanceof DomainError && error.code === 'UPSTREAM_UNAVAILABLE' && error.details?.['reason'] === reason;
      srv.fail.status = 500;
      await assert.rejects(e.embedQuery('x'), upstream('http_500'));
      srv.fail.status = 200;
      srv.fail.body = '{"object":"list","data":[]}';
      await assert.rejects(e.embedQuery('x'), upstream('bad_response'));
      delete srv.fail.status;
      delete srv.fail.body;
      await assert.rejects(
        new OpenAiEmbedder({ baseUrl: srv.url, model: 'm', dimensions: 7 }).embedQuery('x'),
        upstream('dimensions'),
      );
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      await assert.rejects(
        new OpenAiEmbedder({ baseUrl: `http://127.0.0.1:${port}/v1`, model: 'm', dimensions: DIMS }).embedQuery('x'),
        (error: unknown) => error instanceof DomainError && error.code === 'UPSTREAM_UNAVAILABLE',
      );
    },
  );

  describe('wired from the settings into the search service', () => {
    let db: Db;
    before(async () => {
      db = await freshDb('pglite');
      await ingest({
        db,
        source: sampleSource(),
      });
    });
    after(async () => {
      await db.close();
    });

    it('MG_EMBEDDINGS_* replace the local vectors: the endpoint embeds every title, searched by vector', async () => {
      const settings = searchSettings(
        settingValues({
          MG_EMBEDDINGS_BASE_URL: srv.url,
          MG_EMBEDDINGS_MODEL: 'test-embed',
          MG_EMBEDDINGS_API_KEY: 'sk-local',
        }),
      );
      assert.deepEqual(settings.embeddings, {
        baseUrl: srv.url,
        model: 'test-embed',
        apiKey: 'sk-local',
        dimensions: undefined,
      });
      srv.seen.length = 0;
      const svc = await createSearchService({ db, embeddings: settings.embeddings, vectors: settings.vectors });
      assert.equal(svc.embedder?.name, 'openai:test-embed');
      assert.equal(svc.embedder?.dimensions, DIMS);
      assert.equal(svc.vectors?.size, svc.catalog.size);
      assert.ok(srv.seen.every((s) => s.authorization === 'Bearer sk-local' && s.body.model === 'test-embed'));
      const before = srv.seen.length;
      const res = await svc.search({ query: 'haunted house' }, { mode: 'vector' });
      assert.ok(res.results.length > 0);
      assert.equal(srv.seen.length, before + 1, 'the query was embedded by the endpoint');
    });

    it('an endpoint that is down leaves search words-only with a note, not broken', async () => {
      srv.fail.status = 503;
      try {
        const svc = await createSearchService({
          db,
          embeddings: { baseUrl: srv.url, model: 'test-embed', dimensions: DIMS },
          background: true,
        });
        await assert.rejects(svc.ready());
        const res = await svc.search({ query: 'haunted house' });
        assert.ok(res.understood.notes.some((n) => n.includes('could not be loaded')));
      } finally {
        delete srv.fail.status;
      }
    });
  });
});

describe('search settings', () => {
  const schema = (name: string) => SEARCH_SETTINGS.find((s) => s.name === name)!.schema;

  it('MG_SEARCH_VECTORS takes lsa, words or both, and nothing else', () => {
    for (const v of ['lsa', 'words', 'both']) assert.ok(schema('MG_SEARCH_VECTORS').safeParse(v).success, v);
    assert.equal(schema('MG_SEARCH_VECTORS').safeParse('glove').success, false);
    assert.equal(searchSettings(settingValues({ MG_SEARCH_VECTORS: 'both' })).vectors, 'both');
  });

  it('the embeddings endpoint needs a URL and a model; dimensions are a whole number', () => {
    assert.equal(
      searchSettings(settingValues({ MG_EMBEDDINGS_BASE_URL: 'http://127.0.0.1:1/v1' })).embeddings,
      undefined,
    );
    assert.equal(schema('MG_EMBEDDINGS_BASE_URL').safeParse('not a url').success, false);
    assert.equal(schema('MG_EMBEDDINGS_DIMENSIONS').safeParse('768').success, true);
    assert.equal(schema('MG_EMBEDDINGS_DIMENSIONS').safeParse('0').success, false);
    assert.equal(
      searchSettings(
        settingValues({
          MG_EMBEDDINGS_BASE_URL: 'http://127.0.0.1:1/v1',
          MG_EMBEDDINGS_MODEL: 'm',
          MG_EMBEDDINGS_DIMENSIONS: '768',
        }),
      ).embeddings?.dimensions,
      768,
    );
  });
});
