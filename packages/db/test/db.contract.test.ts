import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freshDb, runDbContract, testBackends } from '@media-gateway/testkit';
import { migrate } from '../src/index.ts';

/** `Db` on each engine against the contract in @media-gateway/testkit (contracts/db.ts). */
for (const backend of testBackends()) {
  runDbContract(backend, () => freshDb(backend));

  test(`migrate() on a migrated database changes nothing (${backend})`, async () => {
    const db = await freshDb(backend);
    try {
      // This database's own schema only: other suites create and drop their schemas on the same server
      // meanwhile (a CI run once counted 300 tables before and 263 after).
      const tables = async () =>
        (
          await db.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = current_schema()',
          )
        ).rows[0]!.n;
      const before = await tables();
      assert.ok(before > 20, `the migrated schema holds its tables (${before})`);
      assert.deepEqual(await migrate(db), [], 'no migration applied twice');
      assert.equal(await tables(), before);
    } finally {
      await db.close();
    }
  });
}

/**
 * Found by the soak (issue 17): PostgreSQL ending a connection while a transaction waits between two
 * queries made the pooled client emit 'error' with no listener, which ends the Node process.
 */
test('a connection ended in the middle of a transaction fails that transaction, not the process (postgres)', {
  skip: testBackends().includes('postgres') ? false : 'needs PostgreSQL (DATABASE_URL)',
}, async () => {
  const db = await freshDb('postgres');
  try {
    const failure = db.transaction(async (tx) => {
      const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      // Another session ends this one, as a server restart does; the error arrives while we wait.
      await db.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      await new Promise((r) => setTimeout(r, 200));
      await tx.query('SELECT 1');
    });
    await assert.rejects(failure);
    const { rows } = await db.query<{ one: number }>('SELECT 1 AS one');
    assert.equal(rows[0]!.one, 1, 'the pool serves the next query');
  } finally {
    await db.close();
  }
});
