import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingest, jsonlCanonicalSource } from '@media-gateway/catalog';
import type { Db } from '@media-gateway/db';

const DAY = 86_400_000;

/** Titles of the home fixtures, by the role each plays in a row's rule. */
export const FIXTURE = {
  datedNew: 'Harbour Lights at Dawn',
  datedOld: 'The Quiet Orchard',
  undatedRecent: 'Paper Lanterns Fixture',
  liveNew: 'Northbound Signal',
  liveFirstSweep: 'Southbound Signal',
  leaving: 'Last Train to Marlow',
  gone: 'Yesterday at Kestrel Bay',
  otherService: 'Harbour Lights on Hulu',
  /** Every character with a meaning in XML. */
  markup: `Tom & Jerry's <"Quoted"> Adventure`,
  long: (
    'The Extraordinarily Long and Winding Chronicle of a Lighthouse Keeper ' +
    `Who Counted Every Wave Between Two Winters ${'and Then Some More '.repeat(6)}`
  ).trim(),
} as const;

function record(id: string, title: string, offers: Array<Record<string, unknown>>, genres = ['drama']) {
  return {
    id,
    kind: 'movie',
    title,
    year: 2024,
    runtimeMinutes: 100,
    genres,
    countries: ['GB'],
    languages: ['en'],
    directors: [],
    cast: [],
    creators: [],
    description: 'A fixture title for the home rows tests.',
    offers,
  };
}

const netflix = (extra: Record<string, unknown> = {}) => ({
  platform: 'netflix',
  region: 'US',
  monetization: 'subscription',
  ...extra,
});

async function ingestJsonl(db: Db, source: string, seenAt: Date, records: unknown[]): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'mg-home-'));
  try {
    const file = join(dir, `${source.replace(/[^a-z0-9-]/gi, '_')}.jsonl`);
    await writeFile(file, `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
    await ingest({ db, source: jsonlCanonicalSource(file, { source, seenAt }) });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Offers with known dates around `now` (the test's clock), so that "new this month" and "leaving
 * soon" have something true to show: the bundled sample dates none of its offers.
 *  - a file source that dates its offers (availableFrom / availableUntil, like Streaming Availability);
 *  - a live source (tmdb:US) whose full sweep completed before an offer first appeared;
 *  - a live source (watchmode:US) on its first sweep: first seen recently, but not "new".
 */
export async function addHomeFixtures(db: Db, now: number): Promise<void> {
  const iso = (ms: number) => new Date(ms).toISOString();
  await ingestJsonl(db, 'fixture-dated', new Date(now - 2 * DAY), [
    record('dated-new', FIXTURE.datedNew, [netflix({ availableFrom: iso(now - 5 * DAY) })]),
    record('dated-old', FIXTURE.datedOld, [netflix({ availableFrom: iso(now - 40 * DAY) })]),
    record('undated-recent', FIXTURE.undatedRecent, [netflix()]),
    record('leaving', FIXTURE.leaving, [netflix({ availableUntil: iso(now + 10 * DAY) })], ['thriller']),
    record('gone', FIXTURE.gone, [netflix({ availableUntil: iso(now - DAY) })]),
    record(
      'other-service',
      FIXTURE.otherService,
      [{ platform: 'hulu', region: 'US', monetization: 'subscription', availableFrom: iso(now - 3 * DAY) }],
      ['comedy'],
    ),
    record('markup', FIXTURE.markup, [netflix()], ['family']),
    record('long', FIXTURE.long, [netflix()], ['documentary']),
  ]);
  await ingestJsonl(db, 'tmdb:US', new Date(now - DAY), [
    record('live-new', FIXTURE.liveNew, [netflix()], ['science-fiction']),
  ]);
  await ingestJsonl(db, 'watchmode:US', new Date(now - DAY), [
    record('live-first', FIXTURE.liveFirstSweep, [netflix()], ['science-fiction']),
  ]);
  // Ingestion stamps first_seen with the database's clock; put it where the test's clock says.
  await db.query(`UPDATE offers SET first_seen = $1 WHERE source IN ('fixture-dated', 'tmdb:US', 'watchmode:US')`, [
    new Date(now - 2 * DAY),
  ]);
  // The file source and watchmode have no earlier run; tmdb:US completed a full sweep 10 days ago.
  await db.query(`DELETE FROM ingest_runs WHERE source IN ('tmdb:US', 'watchmode:US')`);
  await db.query(
    `INSERT INTO ingest_runs (id, source, mode, status, started_at, finished_at) ` +
      `VALUES ('run-home-fixture', 'tmdb:US', 'full', 'completed', $1, $2)`,
    [new Date(now - 11 * DAY), new Date(now - 10 * DAY)],
  );
}
