import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import {
  CONTRACT_SCHEMAS,
  MergeQueueSchema,
  SearchResponseSchema,
  TitlePageSchema,
  TitleViewSchema,
  UploadProgressSchema,
  UploadStartedSchema,
} from '@media-gateway/domain/contracts';
import type { z } from 'zod';
import { routeDocs } from '../src/route.ts';
import { bearer, catalogFiles, waitForRun } from './admin-helpers.ts';
import { createTestApp, type TestApp } from './test-app.ts';

interface OpenApi {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>
  >;
  components: { schemas: Record<string, unknown> };
}

/** A response a route declares by a contract's name ("TitleView"), rather than in words ("No such title"). */
const NAMES_A_SCHEMA = /^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+$/;

function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refsIn(v, out);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsIn(v, out);
    }
  return out;
}

/** The body parsed by the contract: it must pass, and parsing must keep every field (the schemas are strict). */
function conforms<S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(body);
  assert.ok(result.success, `${what} does not match its contract: ${JSON.stringify(result.error?.issues, null, 1)}`);
  assert.deepEqual(result.data, body, `${what}: the contract drops or changes fields`);
  return result.data;
}

describe('the API wire contracts (@media-gateway/domain/contracts)', () => {
  let t: TestApp;
  let admin: string;
  let files: Awaited<ReturnType<typeof catalogFiles>>;
  before(async () => {
    t = await createTestApp({ sample: true, env: { MG_SEARCH_INDEX: 'memory' } });
    admin = await t.token('admin-1', ['admin']);
    files = await catalogFiles();
  });
  after(async () => {
    await t.close();
    await rm(files.dir, { recursive: true, force: true });
  });

  test('/api/openapi.json: components.schemas come from the contracts and every named response $refs one', async () => {
    const spec = (await t.app.inject({ url: '/api/openapi.json' })).json() as OpenApi;
    const schemas = spec.components.schemas;
    assert.deepEqual(Object.keys(schemas).sort(), Object.keys(CONTRACT_SCHEMAS).sort());
    // Every $ref in the document (in operations and between components) resolves.
    for (const ref of refsIn(spec)) {
      const name = ref.replace('#/components/schemas/', '');
      assert.ok(ref.startsWith('#/components/schemas/') && schemas[name], `${ref} resolves to a component`);
    }
    // Every response a route declares by a schema name resolves to that component.
    const named: string[] = [];
    for (const doc of routeDocs(t.app)) {
      for (const [status, description] of Object.entries(doc.responses)) {
        if (!NAMES_A_SCHEMA.test(description)) continue;
        named.push(description);
        assert.ok(
          Object.hasOwn(CONTRACT_SCHEMAS, description),
          `${doc.method} ${doc.path} ${status}: "${description}" is not a contract in @media-gateway/domain/contracts`,
        );
        const op = spec.paths[doc.path.replace(/:(\w+)/g, '{$1}')]?.[doc.method.toLowerCase()];
        assert.deepEqual(op?.responses[status]?.content?.['application/json']?.schema, {
          $ref: `#/components/schemas/${description}`,
        });
      }
    }
    for (const name of ['TitleView', 'TitlePage', 'UploadProgress', 'MergeQueue'])
      assert.ok(named.includes(name), name);
    const offer = schemas['OfferView'] as { properties: Record<string, unknown>; required: string[] };
    assert.deepEqual(offer.properties['lastSeen'], { type: ['string', 'null'] });
    assert.ok(offer.required.includes('isStale') && !offer.required.includes('attribution'));
  });

  test('GET /api/titles/:id and GET /api/titles answer their contracts (sample, dated, undated offers)', async () => {
    const page = conforms(TitlePageSchema, (await t.app.inject({ url: '/api/titles?limit=100' })).json(), 'title page');
    const sample = page.items.find((i) => i.title === 'Stranger Things');
    assert.ok(sample);
    assert.equal(page.sampleData?.asOf, '2025-06-01', 'a page with sample offers says so');
    const view = conforms(TitleViewSchema, (await t.app.inject({ url: `/api/titles/${sample.id}` })).json(), 'title');
    assert.equal(view.sampleData?.asOf, '2025-06-01');
    const offers = Object.values(view.offers).flatMap((p) => Object.values(p).flat());
    assert.ok(offers.length > 0 && offers.every((o) => typeof o.age === 'string' && typeof o.isStale === 'boolean'));

    // A file uploaded without asOf: its offers were never dated (lastSeen null, "as of unknown").
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/ingestion/upload?filename=netflix_titles.csv',
      payload: await readFile(files.netflix),
      headers: { 'content-type': 'text/csv', ...bearer(admin) },
    });
    assert.equal(res.statusCode, 202);
    const started = conforms(UploadStartedSchema, res.json(), 'upload 202');
    await waitForRun(t, admin, started.runId);
    conforms(
      UploadProgressSchema,
      (await t.app.inject({ url: `/api/admin/ingestion/upload/${started.runId}`, headers: bearer(admin) })).json(),
      'upload progress',
    );
    const dark = (await t.app.inject({ url: '/api/titles?limit=100' }))
      .json()
      .items.find((i: { title: string; offers: Array<{ lastSeen: string | null }> }) =>
        i.offers.some((o) => o.lastSeen === null),
      );
    assert.ok(dark, 'a title with an undated offer');
    const undated = conforms(TitleViewSchema, (await t.app.inject({ url: `/api/titles/${dark.id}` })).json(), 'title');
    assert.ok(
      Object.values(undated.offers).some((p) =>
        Object.values(p)
          .flat()
          .some((o) => o.lastSeen === null),
      ),
    );
  });

  test('GET /api/admin/resolution and POST /api/search answer their contracts', async () => {
    const queue = conforms(
      MergeQueueSchema,
      (await t.app.inject({ url: '/api/admin/resolution?below=1&limit=20', headers: bearer(admin) })).json(),
      'review queue',
    );
    assert.ok(queue.items.length > 0, 'the sample has a merge to review');
    const search = await t.app.inject({
      method: 'POST',
      url: '/api/search',
      payload: { query: 'scary movies on netflix', limit: 5 },
    });
    assert.equal(search.statusCode, 200);
    assert.ok(conforms(SearchResponseSchema, search.json(), 'search').results.length > 0);
    // Nothing meets every constraint: near matches, and an understanding with a "like" anchor and a runtime.
    const none = await t.app.inject({
      method: 'POST',
      url: '/api/search',
      payload: { query: 'scary movies like Stranger Things on Netflix under 2 hours' },
    });
    const near = conforms(SearchResponseSchema, none.json(), 'search with near matches');
    assert.ok(near.nearMatches?.length && near.understood.like.length && near.understood.runtimeMax !== undefined);
  });
});
