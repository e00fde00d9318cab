import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { testBackends } from '@media-gateway/testkit';
import { fuzzTarget } from '../fuzz/fuzz-app.ts';
import { fuzzApi } from '../fuzz/openapi-fuzz.ts';

/** The bounded fuzz run CI does; `npm run fuzz -- --requests 50000` runs the long one. */
const REQUESTS = Number(process.env['MG_FUZZ_REQUESTS'] ?? 1500);

for (const backend of testBackends()) {
  describe(`API fuzz from the OpenAPI schemas (${backend})`, () => {
    test(`${REQUESTS} generated requests: no 5xx, every 4xx under /api is problem+json`, {
      timeout: 300_000,
    }, async () => {
      const { t, tokens, titleIds } = await fuzzTarget(backend);
      try {
        const summary = await fuzzApi(t.app, { requests: REQUESTS, seed: 20261204, tokens, titleIds });
        assert.ok(summary.operations >= 25, `operations covered: ${summary.operations}`);
        assert.equal(summary.requests, REQUESTS);
        assert.deepEqual(summary.failures, [], JSON.stringify(summary.failures, null, 1).slice(0, 3000));
        assert.equal(summary.server_errors, 0);
        assert.equal(summary.non_problem_4xx, 0);
        // Not only refusals: the generator reaches the handlers too.
        assert.ok((summary.by_status['200'] ?? 0) > REQUESTS / 20, JSON.stringify(summary.by_status));
      } finally {
        await t.close();
      }
    });
  });
}
