import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { checkSettings, didYouMean, SETTINGS } from '../src/config-registry.ts';
import { ConfigError, loadConfig } from '../src/config.ts';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

describe('one validated configuration', () => {
  test('unknown MG_* names and bad values are all listed at once, with the closest known name', () => {
    try {
      loadConfig({ MG_SEARCH_LIMT: '5', MG_ARW_RATE: 'abc', MG_ARW_RATE_LIMIT: 'abc', PORT: '99999' });
      assert.fail('loadConfig accepted a bad configuration');
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      const text = error.problems.join('\n');
      assert.match(text, /MG_SEARCH_LIMT: not a setting of this program/);
      assert.match(text, /MG_ARW_RATE: not a setting of this program \(did you mean MG_ARW_RATE_LIMIT\?\)/);
      assert.match(text, /MG_ARW_RATE_LIMIT="abc": must be a whole number/);
      assert.match(text, /PORT="99999"/);
      assert.equal(error.problems.length, 4);
    }
  });

  test('typos of real settings get a suggestion; unrelated names do not', () => {
    assert.equal(didYouMean('MG_AUTH_RATE_LIMIT_LOGN'), 'MG_AUTH_RATE_LIMIT_LOGIN');
    assert.equal(didYouMean('MG_SAMPLE_CATALOGUE'), 'MG_SAMPLE_CATALOG');
    assert.equal(didYouMean('MG_SOMETHING_ELSE_ENTIRELY'), undefined);
  });

  test('every setting has a documented default and meaning; defaults and valid values pass', () => {
    for (const s of SETTINGS) assert.ok(s.doc.length > 5 && s.default.length > 0, s.name);
    assert.deepEqual(
      checkSettings({ MG_ARW_RATE_LIMIT: '60', MG_INGEST_REGIONS: 'US,gb', MG_TRUSTED_PROXIES: '10.0.0.0/8' }),
      [],
    );
    assert.match(checkSettings({ MG_INGEST_REGIONS: 'USA' })[0]!, /two-letter region codes/);
    // The CLI and test tooling's own MG_* variables are not server settings, and not errors.
    assert.deepEqual(checkSettings({ MG_URL: 'http://x', MG_DATASETS: '/d', MG_TEST_BACKENDS: 'pglite' }), []);
  });

  test('media-gateway serve exits non-zero naming both problems before it listens', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'apps/cli/bin/media-gateway.js'), 'serve', '--port', '0'], {
      env: { PATH: process.env['PATH'], MG_SEARCH_LIMT: '5', MG_ARW_RATE: 'abc' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /MG_SEARCH_LIMT/);
    assert.match(r.stderr, /MG_ARW_RATE: .*did you mean MG_ARW_RATE_LIMIT/);
  });
});
