import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestApp } from './test-app.ts';

export const CATALOG_HEADER =
  'show_id,type,title,director,cast,country,date_added,release_year,rating,duration,listed_in,description';

/**
 * Small catalog files in a temp dir: good rows plus rows with known problems (row 3: type, row 4: title, row 5: year).
 */
export async function catalogFiles(): Promise<{ dir: string; netflix: string; hulu: string; notCatalog: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'mg-admin-test-'));
  const netflix = [
    CATALOG_HEADER,
    's1,Movie,Inception,Christopher Nolan,"Leonardo DiCaprio, Elliot Page",United States,' +
      '"September 1, 2021",2010,PG-13,148 min,"Action & Adventure, Sci-Fi & Fantasy",' +
      'A thief who steals secrets through dreams is offered a chance at redemption.',
    's2,Podcast,Wrong Kind,,,,,2019,,40 min,Talk,A row whose type is neither Movie nor TV Show.',
    's3,Movie,,Nobody,,,,2001,R,90 min,Dramas,A row without a title.',
    's4,Movie,Bad Year,,,,,20x1,R,91 min,Dramas,A row whose year is not a year.',
    's5,TV Show,Dark,,"Louis Hofmann, Lisa Vicari",Germany,"December 1, 2020",2017,TV-MA,3 Seasons,' +
      '"International TV Shows, TV Dramas, TV Mysteries",' +
      'A missing child sets four families on a search through time.',
  ].join('\n');
  const hulu = [
    CATALOG_HEADER,
    's1,Movie,Inception,Christopher Nolan,,United States,"October 1, 2021",' +
      '2010,PG-13,148 min,"Action, Science Fiction",Dreams within dreams.',
  ].join('\n');
  const paths = {
    dir,
    netflix: join(dir, 'netflix_titles.csv'),
    hulu: join(dir, 'hulu_titles.csv'),
    notCatalog: join(dir, 'notes.csv'),
  };
  await writeFile(paths.netflix, netflix);
  await writeFile(paths.hulu, hulu);
  await writeFile(paths.notCatalog, 'name,colour\nred,#f00\n');
  return paths;
}

export interface RunView {
  id: string;
  source: string;
  mode: string;
  status: string;
  counts: Record<string, number>;
  problemCount: number;
}

/** Polls the runs listing until the run is no longer running (the upload is asynchronous). */
export async function waitForRun(t: TestApp, token: string, runId: string, timeoutMs = 60_000): Promise<RunView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await t.app.inject({
      url: '/api/admin/ingestion/runs?limit=100',
      headers: { authorization: `Bearer ${token}` },
    });
    const run = (res.json() as { runs: RunView[] }).runs.find((r) => r.id === runId);
    if (run && run.status !== 'running') return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${run?.status ?? 'missing'} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}
