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
      const tables = async () =>
        (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM information_schema.tables')).rows[0]!.n;
      const before = await tables();
      assert.deepEqual(await migrate(db), [], 'no migration applied twice');
      assert.equal(await tables(), before);
    } finally {
      await db.close();
    }
  });
}
