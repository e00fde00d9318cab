import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEVICES as MCP_DEVICES, MOODS as MCP_MOODS, TITLE_CHUNKS, TOOLS } from '@media-gateway/mcp';
import { validateArwManifest } from '@media-gateway/mcp/arw-validator';
import { DEVICES, MOOD_NAMES } from '@media-gateway/recommend';
import { testBackends } from '@media-gateway/testkit';
import { sampleTitleIds } from './sync-helpers.ts';
import { createTestApp, type TestApp } from './test-app.ts';

interface Action {
  id: string;
  endpoint: string;
  method: string;
  auth: string;
  scopes?: string[];
}
interface Manifest {
  profile: string;
  actions: Action[];
  content: Array<{ url: string; machine_view: string; chunks: Array<{ id: string }> }>;
  protocols: Array<{ type: string; endpoint: string }>;
  oauth: { scopes: Array<{ name: string }> };
}
type OpenApi = { paths: Record<string, Record<string, { security?: Array<{ oauth2: string[] }> }>> };

for (const backend of testBackends()) {
  describe(`ARW manifest, llms.txt and machine views (${backend})`, () => {
    let t: TestApp;
    let manifest: Manifest;
    let openapi: OpenApi;
    let titleId: string;
    before(async () => {
      t = await createTestApp({ backend, sample: true });
      [titleId] = (await sampleTitleIds(t, 1)) as [string];
      manifest = (await t.app.inject({ url: '/.well-known/arw-manifest.json' })).json() as Manifest;
      openapi = (await t.app.inject({ url: '/api/openapi.json' })).json() as OpenApi;
    });
    after(() => t.close());

    test('the served manifest validates against the ARW schema (arw_model.json); a broken one does not', async () => {
      const result = validateArwManifest(manifest);
      assert.deepEqual(result.errors, []);
      assert.equal(result.valid, true);
      assert.equal(manifest.profile, 'ARW-4');
      assert.equal(
        validateArwManifest({ ...manifest, mcp_tools: [] }).valid,
        false,
        'closed objects: unknown top-level keys fail',
      );
      assert.equal(
        validateArwManifest({ ...manifest, actions: [{ ...manifest.actions[0], auth: 'bearer' }] }).valid,
        false,
      );
      assert.deepEqual((await t.app.inject({ url: '/llms.json' })).json(), manifest);
    });

    test(
      'every action is a real REST endpoint with the same ' +
        'method and scope as /api/openapi.json, and no admin routes',
      () => {
        assert.ok(manifest.actions.length >= 10);
        for (const a of manifest.actions) {
          const op = openapi.paths[a.endpoint]?.[a.method.toLowerCase()];
          assert.ok(op, `${a.method} ${a.endpoint} exists in the OpenAPI document`);
          assert.deepEqual(a.scopes ?? [], op.security?.[0]?.oauth2 ?? [], `${a.id} scopes`);
          assert.ok(!(a.scopes ?? []).includes('admin'));
        }
        assert.equal(new Set(manifest.actions.map((a) => a.id)).size, manifest.actions.length, 'action ids are unique');
        const declared = manifest.oauth.scopes.map((s) => s.name);
        for (const a of manifest.actions)
          for (const s of a.scopes ?? []) assert.ok(declared.includes(s), `${s} is described under oauth.scopes`);
        assert.deepEqual(
          manifest.protocols.map((p) => [p.type, p.endpoint]),
          [['mcp', '/mcp']],
        );
      },
    );

    test(
      "an action's auth is what the route really does " + 'without a token (401 for oauth2, never 401 for none)',
      async () => {
        for (const a of manifest.actions) {
          const url = a.endpoint.replace(/\{(\w+)\}/g, (_m, name: string) =>
            /title|^id$/i.test(name) ? titleId : 'x',
          );
          const res = await t.app.inject({
            method: a.method as 'GET',
            url,
            ...(a.method === 'GET' || a.method === 'DELETE' ? {} : { payload: {} }),
          });
          if (a.auth === 'oauth2') assert.equal(res.statusCode, 401, `${a.method} ${url} needs a token`);
          else assert.notEqual(res.statusCode, 401, `${a.method} ${url} is public`);
        }
      },
    );

    test("MCP tools wrap real routes with exactly the route's scope; mood/device lists match the recommender", () => {
      for (const tool of TOOLS) {
        const op = openapi.paths[tool.route.path.replace(/:(\w+)/g, '{$1}')]?.[tool.route.method.toLowerCase()];
        assert.ok(op, `${tool.name} → ${tool.route.method} ${tool.route.path} exists`);
        assert.equal(tool.scope, op.security?.[0]?.oauth2?.[0] ?? null, `${tool.name} scope`);
      }
      assert.deepEqual([...MCP_MOODS].sort(), [...MOOD_NAMES].sort());
      assert.deepEqual([...MCP_DEVICES].sort(), [...DEVICES].sort());
    });

    test('/llms.txt is the YAML form of the same manifest; /.well-known/llms redirects to it', async () => {
      const res = await t.app.inject({ url: '/llms.txt' });
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /^text\/plain; charset=utf-8/);
      assert.match(res.body, /^version: "0\.1"$/m);
      assert.match(res.body, /^profile: "ARW-4"$/m);
      for (const a of manifest.actions) assert.ok(res.body.includes(`- id: "${a.id}"`), `${a.id} listed`);
      const redirect = await t.app.inject({ url: '/.well-known/llms' });
      assert.equal(redirect.statusCode, 302);
      assert.equal(redirect.headers.location, '/llms.txt');
    });

    test(
      'title machine views: chunk markers match the manifest, ' +
        'facts match REST, AI-* headers, ETag and chunk addressing',
      async () => {
        const entry = manifest.content[0]!;
        assert.deepEqual(
          entry.chunks.map((c) => c.id),
          TITLE_CHUNKS.map((c) => c.id),
        );
        assert.equal((await t.app.inject({ url: entry.machine_view })).statusCode, 200, 'listed machine views resolve');

        const rest = (await t.app.inject({ url: `/api/titles/${titleId}` })).json() as {
          title: string;
          people: { cast: string[]; creators: string[]; directors: string[] };
          offers: Record<string, Record<string, Array<{ url: string }>>>;
        };
        const res = await t.app.inject({ url: `/title/${titleId}.llm.md` });
        assert.equal(res.statusCode, 200);
        assert.match(res.headers['content-type'] as string, /^text\/markdown; charset=utf-8/);
        for (const c of TITLE_CHUNKS) assert.ok(res.body.includes(`<!-- chunk: ${c.id} -->`), `chunk ${c.id}`);
        assert.ok(res.body.includes(`# ${rest.title}`));
        for (const name of [...rest.people.directors, ...rest.people.creators, ...rest.people.cast.slice(0, 12)])
          assert.ok(res.body.includes(name), `${name} verbatim`);
        for (const o of Object.values(rest.offers).flatMap((p) => Object.values(p).flat()))
          assert.ok(res.body.includes(`](${o.url})`), `link ${o.url}`);
        assert.equal(
          res.headers['ai-attribution'],
          `required; format=link; url=http://localhost:3000/title/${titleId}`,
        );
        assert.equal(res.headers['ai-training'], 'disallowed');
        assert.equal(res.headers['ai-inference'], 'allowed');
        assert.equal(res.headers['ai-rate-limit'], '120;window=60');
        assert.equal(res.headers['ai-arw-level'], '4');
        assert.match(res.headers['link'] as string, /rel="llms-manifest"/);
        assert.ok(Number(/max-age=(\d+)/.exec(res.headers['cache-control'] as string)?.[1]) >= 900);
        assert.equal(
          (
            await t.app.inject({
              url: `/title/${titleId}.llm.md`,
              headers: { 'if-none-match': res.headers.etag as string },
            })
          ).statusCode,
          304,
        );

        const chunk = await t.app.inject({ url: `/title/${titleId}.llm.md?chunk=where-to-watch` });
        assert.equal(chunk.headers['ai-chunk-id'], 'where-to-watch');
        assert.match(chunk.body, /^<!-- chunk: where-to-watch -->/);
        assert.match(chunk.body, /> Sample data bundled with Media Gateway; availability as of \d{4}-\d{2}-\d{2}/);
        assert.ok(!chunk.body.includes('<!-- chunk: people -->'));
        assert.equal((await t.app.inject({ url: `/title/${titleId}.llm.md?chunk=nope` })).statusCode, 400);
        assert.equal((await t.app.inject({ url: '/title/mg_aaaaaaaaaaaa.llm.md' })).json().code, 'NOT_FOUND');
        assert.match(
          (await t.app.inject({ url: `/title/${titleId}` })).headers['content-type'] as string,
          /text\/html/,
          "the HTML page stays the web app's",
        );
      },
    );

    test("sitemap.xml lists every title's machine view", async () => {
      const res = await t.app.inject({ url: '/sitemap.xml' });
      const count = (await t.ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM titles')).rows[0]!.n;
      assert.equal((res.body.match(/<loc>/g) ?? []).length, count);
      assert.ok(res.body.includes(`/title/${titleId}.llm.md</loc>`));
    });
  });
}

describe('ARW rate limit is enforced, not only declared', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ env: { MG_ARW_RATE_LIMIT: '3' } });
  });
  after(() => t.close());

  test('the fourth request in a minute is a 429 problem+json with retry-after', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await t.app.inject({ url: '/llms.txt' })).statusCode);
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    const res = await t.app.inject({ url: '/llms.txt' });
    assert.equal(res.json().code, 'RATE_LIMITED');
    assert.ok(res.headers['retry-after']);
    assert.equal(res.headers['ai-rate-limit'], '3;window=60');
  });
});
