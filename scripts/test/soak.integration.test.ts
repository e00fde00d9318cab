import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { commandOnPath } from '@media-gateway/testkit';
import { freePort } from '../cluster/procs.ts';
import { runSoak } from '../soak/run-soak.ts';

/**
 * Issue 17, bounded for CI: a 60 s soak through HAProxy in front of three API replicas (one
 * worker, a private PostgreSQL server and a private Redis, so restarting them touches no other
 * test), with the whole fault schedule compressed: kill -9 and restart, rolling SIGTERM restart,
 * Redis restart, PostgreSQL restart, a 5 s SIGSTOP. Every acknowledged write must be readable from
 * every replica and every device; the rolling restart must fail no request.
 * The moved-clock run (MG_TEST_BACKENDS=pglite) leaves it out: it is about PostgreSQL and Redis.
 */
const skip =
  commandOnPath('haproxy', 'the soak runs HAProxy in front of the replicas: apt-get install haproxy') ??
  commandOnPath('redis-server', 'the soak runs a private Redis') ??
  ((process.env['MG_TEST_BACKENDS'] ?? 'pglite,postgres').includes('postgres')
    ? undefined
    : 'MG_TEST_BACKENDS leaves PostgreSQL out') ??
  (existsSync('/usr/lib/postgresql') ? undefined : 'no PostgreSQL server binaries under /usr/lib/postgresql');

describe('soak: three replicas behind HAProxy through the fault schedule (issue 17)', { skip }, () => {
  let result: Awaited<ReturnType<typeof runSoak>>;
  let summary = '';
  before(
    async () => {
      // Each step with the seconds since the start, so a run cut off by the timeout shows where it was.
      const t0 = performance.now();
      const log = (line: string) => console.log(`soak +${((performance.now() - t0) / 1000).toFixed(0)} s: ${line}`);
      result = await runSoak({
        log,
        seconds: 60,
        replicas: 3,
        rate: 25,
        deviceRate: 3,
        users: 200,
        devices: 201,
        faults: true,
        freezeSeconds: 5,
        postgres: 'private',
        haproxyPort: await freePort(),
        redisPort: await freePort(),
      });
      summary = JSON.stringify(result, null, 1);
      // The run's figures in CI's log whatever the outcome (recovery per fault, latency, errors).
      const { faults: _faults, lost_examples: _l, divergence_examples: _d, readback: _r, ...figures } = result;
      console.log(`soak: ${JSON.stringify(figures)}`);
      for (const f of result.faults.filter((f) => f.recovery_s === null))
        console.log(`soak: ${f.name} did not recover: ${JSON.stringify(f.detail)}`);
    },
    // About 90 s alone; the suite runs two files at a time, and next to a CPU-heavy one on a slower machine the
    // cluster's start and the recoveries took over 360 s once (the soak alone passed in 81 s on the same machine).
    { timeout: 600_000 },
  );

  test('no acknowledged write lost through kill -9, rolling restart, Redis and PostgreSQL restarts, freeze', () => {
    assert.ok(result.acknowledged_writes > 50, `writes were acknowledged: ${summary}`);
    assert.ok(result.devices >= 200, summary);
    assert.equal(result.lost_writes, 0, summary);
  });

  test('the rolling restart fails no request', () => {
    assert.equal(result.rolling_restart_failed_requests, 0, summary);
  });

  // A gate again since 2026-12-05 (session 9): the rare non-recovery after the PostgreSQL restart was a replica
  // that died of an unhandled rejection (a sync catch-up whose room reload PostgreSQL refused;
  // packages/sync/test/hub-write-failure). Three runs since the fix recovered in 0.44 s, 0.19 s and 0.04 s.
  test('every fault recovers', () => {
    for (const f of result.faults) assert.notEqual(f.recovery_s, null, `${f.name} recovered: ${summary}`);
  });

  // A gate again since the fix of 2026-12-04 (session 3): a write that failed during the PostgreSQL
  // restart used to drop the room and leave its connected devices deaf (packages/sync/test/hub-write-failure).
  test('every device converges on what the server holds', () => {
    assert.equal(result.device_divergence, 0, summary);
  });
});
