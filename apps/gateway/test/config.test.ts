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

  test('a URL of the wrong kind, settings that need each other, and secrets never printed', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return '';
      } catch (error) {
        assert.ok(error instanceof ConfigError);
        return error.problems.join('\n');
      }
    };
    assert.match(problems({ DATABASE_URL: 'http://postgres@127.0.0.1:5432/postgres' }), /postgres:\/\/ or postgresql:/);
    assert.match(problems({ REDIS_URL: 'http://127.0.0.1:6379' }), /redis:\/\/ or rediss:/);
    assert.equal(problems({ DATABASE_URL: 'postgresql://u@h/db', REDIS_URL: 'rediss://h:6380' }), '');
    // A catalog-only server (no sign-in at all) is allowed; the server says so at start instead.
    assert.equal(problems({ MG_LOCAL_ACCOUNTS: 'off' }), '');
    assert.match(problems({ MG_VAPID_PRIVATE_KEY: 'abc' }), /must be set together/);
    const leaky = problems({
      DATABASE_URL: 'http://u:S3cretPW@host/db',
      REDIS_URL: 'host=db user=mg password=hunter2',
      MG_ALERTS_SMTP_URL: 'smtp://u:p@ss@host:99999',
      MG_ADMIN_PASSWORD: 'short',
      MG_ADMIN_EMAIL: 'a@example.org',
    });
    assert.doesNotMatch(leaky, /S3cretPW|hunter2|ss@host|short"/);
    assert.match(leaky, /DATABASE_URL="http:\/\/u:\*\*\*@host\/db"/);
    assert.match(leaky, /REDIS_URL=\(32 characters, not shown\)/);
    assert.match(leaky, /MG_ADMIN_PASSWORD=\(5 characters, not shown\)/);
  });

  test('listening on every interface (the container) links to localhost, not 0.0.0.0', () => {
    assert.equal(loadConfig({ HOST: '0.0.0.0', PORT: '3300' }).publicUrl, 'http://localhost:3300');
    assert.equal(loadConfig({ HOST: '::1', PORT: '3300' }).publicUrl, 'http://[::1]:3300');
    assert.equal(
      loadConfig({ HOST: '0.0.0.0', MG_PUBLIC_URL: 'https://tv.example.org/' }).publicUrl,
      'https://tv.example.org',
    );
  });

  test('a server that cannot listen says why in one line and exits 1 (it used to stay alive, doing nothing)', async () => {
    const { createServer } = await import('node:net');
    const busy = createServer();
    await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
    const port = (busy.address() as { port: number }).port;
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'apps/cli/bin/media-gateway.js'), 'serve', '--port', String(port), '--host', '127.0.0.1'],
      {
        env: {
          PATH: process.env['PATH'],
          MG_DATA_DIR: mkdtempSync(join(tmpdir(), 'mg-busy-')),
          MG_SAMPLE_CATALOG: 'off',
        },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    busy.close();
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`cannot start: 127.0.0.1:${port} is already in use`));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });
});
