import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgres } from '@media-gateway/db';
import { type Embedder, keyTitle, type TitleDoc, VectorIndex } from '../src/index.ts';
import { LexicalIndex } from '../src/index/lexical-index.ts';
import { lexicalSearch } from '../src/retrieve/lexical.ts';
import { percentile, seeded } from './bench-queries.ts';

export interface ScaleResult {
  n: number;
  total_s: number;
  p95_ms: number;
  vector_p95_ms: number;
  /** The production lexical channel: the in-memory copy of the weighted full text (decision 0055). */
  lexical_p95_ms: number | null;
  /** The same query on PostgreSQL's GIN index: the fallback while the in-memory copy loads. */
  lexical_sql_p95_ms: number | null;
  lexical_index_s: number | null;
  index_mb: number;
  build_s: number;
  lexical_note?: string;
}

/**
 * Synthetic scale-up: N titles whose words are resampled from the real catalog's descriptions
 * (real word statistics), embedded by the service's own embedder (the default local vectors) into a
 * usearch i8 index (STACK.md §4), with the production constraint predicate on the candidates. Lexical side:
 * the same weighted tsvector shape made by the PostgreSQL server at DATABASE_URL (in a scratch schema that is
 * dropped afterwards), searched the way a search runs it: `lexicalSearch` on the in-memory index built from
 * those tsvectors (counted in the total), and, reported beside it, the SQL on the GIN index that answers
 * while the in-memory copy loads. Without DATABASE_URL the lexical side is reported as not measured. Each title's
 * popularity (which multiplies lexical scores) is resampled from the real catalog's, so scores tie as rarely as
 * they do there.
 */
export async function scaleUp(
  model: Embedder,
  realDocs: TitleDoc[],
  n: number,
  queries: string[],
  databaseUrl: string | undefined,
  realPopularity: number[] = [0],
): Promise<ScaleResult> {
  const r = seeded(11);
  const words = realDocs.flatMap((d) => d.description.toLowerCase().split(/[^a-z]+/)).filter((w) => w.length > 2);
  const pickWord = () => words[Math.floor(r() * words.length)]!;
  const vi = new VectorIndex(model.dimensions, model.name, 'i8');
  const runtime = new Uint16Array(n);
  const year = new Uint16Array(n);
  // By id, as the catalog keeps it (a Map), so looking it up costs what it costs in a search.
  const popularity = new Map<string, number>();
  const runtimeById = new Map<string, number>();
  const idOf = (j: number) => keyTitle(BigInt(j + 1));
  const started = Date.now();
  const pg = databaseUrl ? await openPostgres({ connectionString: databaseUrl, maxConnections: 2 }) : undefined;
  const schema = `mg_scale_${process.pid}`;
  if (pg) {
    await pg.exec(
      `CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.t (id text PRIMARY KEY, tsv tsvector, runtime int, year int)`,
    );
  }
  const lexical = pg ? new LexicalIndex() : undefined;
  let lexicalIndexMs = 0;
  const BATCH = 5000;
  for (let i = 0; i < n; i += BATCH) {
    const docs: TitleDoc[] = [];
    const ids: string[] = [];
    const texts: string[] = [];
    const titles: string[] = [];
    for (let j = i; j < Math.min(n, i + BATCH); j++) {
      let text = '';
      for (let w = 12 + Math.floor(r() * 30); w > 0; w--) text += `${pickWord()} `;
      const title = `${pickWord()} ${pickWord()}`;
      docs.push({ title, description: text, genres: [], people: [], countries: [] });
      ids.push(idOf(j));
      texts.push(text);
      titles.push(title);
      runtime[j] = 60 + (j % 120);
      year[j] = 1950 + (j % 73);
      popularity.set(idOf(j), realPopularity[Math.floor(r() * realPopularity.length)]!);
      if (pg) runtimeById.set(idOf(j), runtime[j]!);
    }
    vi.upsert(ids, await model.embedDocuments(docs));
    vi.vectors.clear(); // full-precision copies are not kept at this scale
    if ((i / BATCH) % 20 === 19)
      console.error(`scale-up: ${i + BATCH} titles in ${Math.round((Date.now() - started) / 1000)} s`);
    if (pg && lexical) {
      const inserted = await pg.query<{ id: string; tsv: string }>(
        `INSERT INTO ${schema}.t (id, tsv, runtime, year)
        SELECT id, setweight(to_tsvector('english', ti), 'A') || setweight(to_tsvector('english', d), 'D'),
          60 + (ord::int % 120), 1950 + (ord::int % 73)
        FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS x(id, ti, d, ord)
        RETURNING id, tsv::text AS tsv`,
        [ids, titles, texts],
      );
      const t = performance.now();
      for (const row of inserted.rows) lexical.upsert(row.id, row.tsv);
      lexicalIndexMs += performance.now() - t;
    }
  }
  if (pg) await pg.exec(`CREATE INDEX ON ${schema}.t USING gin (tsv); ANALYZE ${schema}.t`);
  const buildS = (Date.now() - started) / 1000;
  const dir = await mkdtemp(join(tmpdir(), 'mg-scale-'));
  await vi.save(dir);
  const indexMb = Math.round((statSync(join(dir, 'vectors.usearch')).size / 1_048_576) * 10) / 10;
  await rm(dir, { recursive: true, force: true });

  const total: number[] = [];
  const vec: number[] = [];
  const lex: number[] = [];
  const sql: number[] = [];
  const memory = lexical
    ? { index: lexical, popularity: (id: string) => popularity.get(id) ?? 0, popularityVersion: 1 }
    : undefined;
  // A running server has looked up its query words' lexemes (cached), remembered popularity by slot and let
  // the JIT compile the search loops: one untimed pass over the queries gets there, so the timed pass measures
  // the steady state rather than the first searches after start-up.
  if (pg && memory) for (const q of queries) await lexicalSearch(pg, q, 400, 20, memory);
  for (const q of queries) {
    const qv = await model.embedQuery(q);
    if (qv) vi.search(qv, 200);
  }
  for (const q of queries) {
    const t0 = performance.now();
    const qv = await model.embedQuery(q);
    const hits = qv ? vi.search(qv, 200) : [];
    let kept = 0;
    for (const h of hits) {
      // The production predicate shape: per-candidate checks on in-memory facts.
      const j = Number(titleIndex(h.id));
      if (runtime[j]! <= 120 && year[j]! >= 1990) kept++;
    }
    const t1 = performance.now();
    vec.push(t1 - t0);
    if (pg && memory) {
      const found = await lexicalSearch(pg, q, 400, 20, memory);
      for (const h of found) if ((runtimeById.get(h.id) ?? 0) <= 120) kept++;
      lex.push(performance.now() - t1);
    }
    const t2 = performance.now();
    if (pg) {
      const terms = q
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter((w) => w.length > 1)
        .slice(0, 8);
      if (terms.length) {
        await pg.query(
          `SELECT id FROM ${schema}.t, to_tsquery('english', $1) q WHERE tsv @@ q AND runtime <= 120
          ORDER BY ts_rank_cd(tsv, q, 1) DESC LIMIT 400`,
          [terms.join(' & ')],
        );
      }
      sql.push(performance.now() - t2);
    }
    total.push(t2 - t0 + kept * 0);
  }
  if (pg) {
    await pg.exec(`DROP SCHEMA ${schema} CASCADE`);
    await pg.close();
  }
  const p95 = (xs: number[]) =>
    Math.round(
      percentile(
        [...xs].sort((a, b) => a - b),
        95,
      ) * 100,
    ) / 100;
  return {
    n,
    total_s: Math.round((Date.now() - started) / 1000),
    p95_ms: p95(total),
    vector_p95_ms: p95(vec),
    lexical_p95_ms: pg ? p95(lex) : null,
    lexical_sql_p95_ms: pg ? p95(sql) : null,
    lexical_index_s: pg ? Math.round(lexicalIndexMs / 100) / 10 : null,
    index_mb: indexMb,
    build_s: Math.round(buildS),
    ...(pg ? {} : { lexical_note: 'DATABASE_URL not set: lexical side not measured at scale' }),
  };
}

/** Inverse of keyTitle for the synthetic ids (keys are j + 1). */
function titleIndex(id: string): bigint {
  const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
  let k = 0n;
  for (const ch of id.slice(3)) k = (k << 5n) | BigInt(ALPHABET.indexOf(ch));
  return k - 1n;
}
