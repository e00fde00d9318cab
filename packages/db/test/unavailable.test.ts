import assert from 'node:assert/strict';
import { test } from 'node:test';
import { postgresUrl } from '@media-gateway/testkit';
import pg from 'pg';
import { isDatabaseUnavailable } from '../src/unavailable.ts';

const server = postgresUrl();

test('a refused connection, an administrator shutdown and a lost connection are "unavailable"; a bad query is not', {
  skip: server.skip,
}, async () => {
  // Nothing listens on port 1: node-postgres reports ECONNREFUSED (an AggregateError for IPv4 and IPv6 alike).
  const refused = await new pg.Client({ connectionString: 'postgres://x@127.0.0.1:1/x' }).connect().catch((e) => e);
  assert.equal(isDatabaseUnavailable(refused), true, String(refused));

  const victim = new pg.Client({ connectionString: server.url });
  victim.on('error', () => {});
  await victim.connect();
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    const bad = await victim.query('SELEC 1').catch((e) => e);
    assert.equal(bad.code, '42601');
    assert.equal(isDatabaseUnavailable(bad), false);
    const pid = (await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const running = victim.query('SELECT pg_sleep(5)').catch((e) => e);
    await new Promise((r) => setTimeout(r, 200));
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    const terminated = await running;
    assert.equal(isDatabaseUnavailable(terminated), true, `${terminated.code} ${terminated.message}`);
    const afterwards = await victim.query('SELECT 1').catch((e) => e);
    assert.equal(isDatabaseUnavailable(afterwards), true, String(afterwards));
  } finally {
    await admin.end();
    await victim.end().catch(() => {});
  }
});

test('wrapped causes count; plain errors and non-errors do not', () => {
  assert.equal(isDatabaseUnavailable(new Error('outer', { cause: { code: '57P03' } })), true);
  assert.equal(isDatabaseUnavailable(new Error('no such table')), false);
  assert.equal(isDatabaseUnavailable(undefined), false);
  assert.equal(isDatabaseUnavailable('ECONNREFUSED'), false);
});
