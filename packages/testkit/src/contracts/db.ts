import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Db } from '@media-gateway/db';
import type { ContractOptions } from './options.ts';

/**
 * The `Db` contract (`@media-gateway/db`): what every package may rely on whichever engine runs the
 * SQL, embedded PGlite or a PostgreSQL server. `makeDb` returns a fresh, migrated database (the
 * caller's `freshDb(backend)`); each test gets its own and closes it.
 *
 * Checked: parameters and the documented type mapping (int, boolean, text[], timestamptz → Date,
 * jsonb → parsed value, null), `rowCount` of INSERT/UPDATE/DELETE (also with RETURNING and when
 * nothing matched), `exec` scripts, transactions (commit, rollback on throw with the caller's error,
 * own writes visible inside, a failed statement leaves the database usable), errors that reject
 * without breaking the connection, concurrent transactions that each see a consistent counter,
 * and that the migrations were applied. Not in the contract: int8/numeric come back as strings on
 * PostgreSQL (cast counts to int, CONVENTIONS.md).
 */
export function runDbContract(name: string, makeDb: () => Promise<Db>, options: ContractOptions = {}): void {
  const it = (title: string, fn: (db: Db) => Promise<void>) =>
    test(title, { todo: options.todo?.[title] }, async () => {
      const db = await makeDb();
      try {
        await fn(db);
      } finally {
        await db.close();
      }
    });
  const table = () => `contract_${randomBytes(4).toString('hex')}`;

  describe(`Db contract: ${name}`, () => {
    it('names its backend', async (db) => {
      assert.ok(db.backend === 'pglite' || db.backend === 'postgres', `unexpected backend ${String(db.backend)}`);
      if (name.includes('pglite') || name.includes('postgres'))
        assert.ok(name.includes(db.backend), `${name} reports ${db.backend}`);
    });

    it('is migrated: the tables of every feature exist', async (db) => {
      for (const t of ['titles', 'users', 'web_sessions', 'sync_updates']) {
        const r = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM information_schema.tables ` +
            `WHERE table_name = $1 AND table_schema = ANY (current_schemas(false))`,
          [t],
        );
        assert.equal(r.rows[0]?.n, 1, `table ${t} is missing`);
      }
    });

    it('binds parameters and maps types the documented way', async (db) => {
      const at = new Date('2024-03-04T05:06:07.890Z');
      const r = await db.query<{
        i: number;
        b: boolean;
        t: string;
        arr: string[];
        ts: Date;
        j: { a: number; list: string[] };
        n: null;
        c: number;
      }>(
        `SELECT $1::int AS i, $2::boolean AS b, $3::text AS t, $4::text[] AS arr, $5::timestamptz AS ts,
                $6::jsonb AS j, $7::text AS n, (SELECT count(*) FROM generate_series(1, 3))::int AS c`,
        [42, true, "it's 'quoted' $1", ['a', 'b,c', ''], at, JSON.stringify({ a: 1, list: ['x'] }), null],
      );
      const row = r.rows[0]!;
      assert.equal(row.i, 42);
      assert.equal(row.b, true);
      assert.equal(row.t, "it's 'quoted' $1");
      assert.deepEqual(row.arr, ['a', 'b,c', '']);
      assert.ok(row.ts instanceof Date, 'timestamptz comes back as a Date');
      assert.equal(row.ts.getTime(), at.getTime());
      assert.deepEqual(row.j, { a: 1, list: ['x'] });
      assert.equal(row.n, null);
      assert.equal(row.c, 3);
    });

    it('exec runs a script of several statements', async (db) => {
      const t = table();
      await db.exec(
        `CREATE TABLE ${t} (id int PRIMARY KEY, v text); ` +
          `INSERT INTO ${t} VALUES (1, 'a'); INSERT INTO ${t} VALUES (2, 'b');`,
      );
      const r = await db.query<{ v: string }>(`SELECT v FROM ${t} ORDER BY id`);
      assert.deepEqual(
        r.rows.map((x) => x.v),
        ['a', 'b'],
      );
    });

    it('rowCount counts the rows a write touched', async (db) => {
      const t = table();
      await db.exec(`CREATE TABLE ${t} (id int PRIMARY KEY, v text)`);
      assert.equal((await db.query(`INSERT INTO ${t} VALUES (1, 'a'), (2, 'b'), (3, 'c')`)).rowCount, 3);
      assert.equal((await db.query(`UPDATE ${t} SET v = 'z' WHERE id >= $1`, [2])).rowCount, 2);
      assert.equal((await db.query(`UPDATE ${t} SET v = 'z' WHERE id = 99`)).rowCount, 0);
      const returning = await db.query<{ id: number }>(`DELETE FROM ${t} WHERE id <> 2 RETURNING id`);
      assert.equal(returning.rowCount, 2);
      assert.deepEqual(returning.rows.map((x) => x.id).sort(), [1, 3]);
      const upsert = await db.query(
        `INSERT INTO ${t} VALUES (2, 'q') ON CONFLICT (id) DO UPDATE SET v = EXCLUDED.v WHERE ${t}.v = 'never'`,
      );
      assert.equal(upsert.rowCount, 0, 'an upsert whose WHERE refused the update touched nothing');
    });

    it('rowCount of a SELECT is the number of rows returned', async (db) => {
      const r = await db.query('SELECT g FROM generate_series(1, 3) AS g');
      assert.equal(r.rows.length, 3);
      assert.equal(r.rowCount, 3);
    });

    it('a transaction commits what fn wrote and returns its value', async (db) => {
      const t = table();
      await db.exec(`CREATE TABLE ${t} (id int PRIMARY KEY)`);
      const out = await db.transaction(async (tx) => {
        await tx.query(`INSERT INTO ${t} VALUES (1), (2)`);
        const inside = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`);
        assert.equal(inside.rows[0]?.n, 2, 'own writes are visible inside the transaction');
        return 'done';
      });
      assert.equal(out, 'done');
      assert.equal((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)).rows[0]?.n, 2);
    });

    it('a transaction rolls back when fn throws, and rethrows that error', async (db) => {
      const t = table();
      await db.exec(`CREATE TABLE ${t} (id int PRIMARY KEY)`);
      const boom = new Error('boom');
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query(`INSERT INTO ${t} VALUES (1)`);
          throw boom;
        }),
        (e) => e === boom,
      );
      assert.equal((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)).rows[0]?.n, 0);
      // A failed statement inside aborts the transaction; the database is usable afterwards.
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query(`INSERT INTO ${t} VALUES (5)`);
          await tx.query(`INSERT INTO ${t} VALUES (5)`);
        }),
        /duplicate key|unique/i,
      );
      assert.equal((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)).rows[0]?.n, 0);
      await db.transaction((tx) => tx.query(`INSERT INTO ${t} VALUES (6)`));
      assert.equal((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)).rows[0]?.n, 1);
    });

    it('a failing query rejects with the server message and leaves the database usable', async (db) => {
      await assert.rejects(db.query('SELECT * FROM no_such_table_here'), /no_such_table_here/);
      await assert.rejects(db.query('SELECT $1::int AS x', ['not a number']), /invalid input syntax/i);
      assert.equal((await db.query<{ x: number }>('SELECT 1 AS x')).rows[0]?.x, 1);
    });

    it('concurrent transactions do not lose updates (read-modify-write under a row lock)', async (db) => {
      const t = table();
      await db.exec(`CREATE TABLE ${t} (id int PRIMARY KEY, n int NOT NULL); INSERT INTO ${t} VALUES (1, 0);`);
      await Promise.all(
        Array.from({ length: 8 }, () =>
          db.transaction(async (tx) => {
            const cur = await tx.query<{ n: number }>(`SELECT n FROM ${t} WHERE id = 1 FOR UPDATE`);
            await tx.query(`UPDATE ${t} SET n = $1 WHERE id = 1`, [cur.rows[0]!.n + 1]);
          }),
        ),
      );
      assert.equal((await db.query<{ n: number }>(`SELECT n FROM ${t} WHERE id = 1`)).rows[0]?.n, 8);
    });
  });
}
