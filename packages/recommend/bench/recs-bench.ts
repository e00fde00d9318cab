/**
 * Recommendation benchmark on the full ingested catalog (the four catalog CSVs from MG_DATASETS,
 * or --datasets): recommendation p95, event → adapter update p95, training time, adapter bytes.
 * Load is synthetic and seeded: 200 people, 40 events each, over titles drawn from the catalog.
 *
 *   npm run bench:recs -- [--datasets <dir>] [--json]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { scriptArgs } from '@media-gateway/testkit/script-args';
import { ingest, openFileSource } from '@media-gateway/catalog';
import { freshDb } from '@media-gateway/testkit';
import { encodeAdapter } from '../src/adapter-codec.ts';
import { CONTENT_DIM } from '../src/content-vectors.ts';
import { EVENT_TYPES, type EventType } from '../src/event-signals.ts';
import { RecommenderService } from '../src/recommender-service.ts';
import { type ContentLookup, MAX_HISTORY, UserAdapter } from '../src/user-adapter.ts';

const { values } = scriptArgs(import.meta.url, {
  options: { datasets: { type: 'string' }, json: { type: 'boolean' } },
  strict: true,
});
const root = values.datasets ?? process.env['MG_DATASETS'];
if (!root || !existsSync(join(root, 'catalogs'))) {
  process.stderr.write('bench:recs: needs the datasets folder (--datasets <dir> or MG_DATASETS)\n');
  process.exit(2);
}
const log = (m: string) => process.stderr.write(`${m}\n`);
const p95 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.floor(s.length * 0.95)]! * 1000) / 1000;
};
let seed = 42;
const rnd = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 2 ** 32;
};

const db = await freshDb('pglite');
const tIngest = performance.now();
for (const f of ['netflix_titles.csv', 'amazon_prime_titles.csv', 'disney_plus_titles.csv', 'hulu_titles.csv']) {
  await ingest({ db, source: await openFileSource(join(root, 'catalogs', f)) });
}
const { rows: titleRows } = await db.query<{ id: string }>('SELECT id FROM titles ORDER BY id');
log(`ingested ${titleRows.length} titles in ${((performance.now() - tIngest) / 1000).toFixed(1)} s`);
const ids = titleRows.map((r) => r.id);

const service = new RecommenderService(db);
const audience = { region: 'US', services: [] as string[] };
const types: EventType[] = EVENT_TYPES.filter((t) => t !== 'rating' && t !== 'progress');
const users = Array.from({ length: 200 }, (_, i) => `bench-user-${i}`);
// Each person favours a slice of the catalog so co-watching exists for the base model to learn.
for (const [u, user] of users.entries()) {
  const base = Math.floor((u % 20) * (ids.length / 20));
  const events = Array.from({ length: 40 }, (_, k) => ({
    id: `${user}-${k}`,
    type: types[Math.floor(rnd() * types.length)]!,
    titleId: ids[(base + Math.floor(rnd() * 400)) % ids.length]!,
  }));
  await service.recordEvents(user, audience, events);
}
const train = await service.retrain();
log(
  `trained on ${train.interactions} interactions ` +
    `(${train.items} items in the collaborative model) in ${train.seconds.toFixed(2)} s`,
);

for (let i = 0; i < 20; i++) await service.recommend(users[i]!, audience, { limit: 20 });
const recTimes: number[] = [];
const scored: number[] = [];
for (let i = 0; i < 300; i++) {
  const stats = { scored: 0 };
  const t = performance.now();
  await service.recommend(users[Math.floor(rnd() * users.length)]!, audience, {
    limit: 20,
    context: { mood: i % 3 === 0 ? 'thrilling' : undefined, hour: 21 },
    stats,
  });
  recTimes.push(performance.now() - t);
  scored.push(stats.scored);
}

// The online step alone (what every event costs the adapter), with a full history.
const { ItemTable } = await import('../src/item-table.ts');
const { rows: meta } = await db.query<{
  id: string;
  title: string;
  genres: string[];
  kind: string;
  year: number | null;
}>('SELECT id, title, genres, kind, year FROM titles');
const items = new ItemTable(meta.map((r) => ({ ...r })));
const lookup: ContentLookup = {
  content: items.content,
  offsetOf: (id) => {
    const i = items.index.get(id);
    return i === undefined ? -1 : i * CONTENT_DIM;
  },
};
const adapter = new UserAdapter('bench-online');
const updTimes: number[] = [];
for (let i = 0; i < 3000; i++) {
  const e = { type: types[i % types.length]!, titleId: ids[Math.floor(rnd() * ids.length)]!, at: Date.now() + i };
  const t = performance.now();
  adapter.update(e, lookup);
  updTimes.push(performance.now() - t);
}
const eventTimes: number[] = [];
for (let i = 0; i < 100; i++) {
  const t = performance.now();
  await service.recordEvents(users[i % users.length]!, audience, [
    { id: `extra-${i}`, type: 'like', titleId: ids[Math.floor(rnd() * ids.length)]! },
  ]);
  eventTimes.push(performance.now() - t);
}
const result = {
  p95_ms: p95(recTimes),
  update_p95_ms: p95(updTimes.slice(500)),
  train_seconds: Math.round(train.seconds * 1000) / 1000,
  adapter_bytes: encodeAdapter(adapter).byteLength,
  titles: ids.length,
  scored_per_request_mean: Math.round(scored.reduce((a, b) => a + b, 0) / scored.length),
  history_entries: Math.min(MAX_HISTORY, adapter.history.size),
  record_event_http_less_p95_ms: p95(eventTimes),
};
await db.close();
if (!values.json) log(JSON.stringify(result, null, 2));
process.stdout.write(`${JSON.stringify(result)}\n`);
