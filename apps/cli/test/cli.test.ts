import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { runCli } from './run-cli.ts';

const HEADER = 'show_id,type,title,director,cast,country,date_added,release_year,rating,duration,listed_in,description';

describe('media-gateway CLI', () => {
  let env: Record<string, string>;
  let dir: string;
  let file: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mg-cli-'));
    env = { MG_DATA_DIR: join(dir, 'data') };
    file = join(dir, 'disney_plus_titles.csv');
    await writeFile(
      file,
      [
        HEADER,
        's1,Movie,The Mandalorian Special,Jon Favreau,Pedro Pascal,United States,,' +
          '2020,TV-14,30 min,"Action-Adventure, Science Fiction",A bounty hunter story.',
        's2,TV Show,Bluey,,"Dave McCormack",Australia,,2018,TV-Y,3 Seasons,"Animation, Kids",Dog family games.',
      ].join('\n'),
    );
  });

  test('help lists the commands; unknown commands and flags exit 2 with one line', async () => {
    const help = await runCli(['help'], env);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /ingest/);
    const unknown = await runCli(['frobnicate'], env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^media-gateway: unknown command "frobnicate"/);
    assert.equal(unknown.stderr.trim().split('\n').length, 1);
    const badFlag = await runCli(['titles', 'ls', '--nope'], env);
    assert.equal(badFlag.code, 2);
  });

  test('search before any ingest says the catalog is empty (not that a constraint excluded everything)', async () => {
    const empty = await runCli(['search', 'comedies on netflix'], { MG_DATA_DIR: join(dir, 'empty') });
    assert.equal(empty.code, 0, empty.stderr);
    assert.match(empty.stdout, /note: The catalog is empty: no title has been ingested here yet/);
    assert.doesNotMatch(empty.stdout, /no titles meet every constraint|Try removing/);
  });

  test('ingest reports per-file summaries; a second run reports 0 changes', async () => {
    const first = await runCli(['ingest', file, '--json'], env);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(JSON.parse(first.stdout).changes, 2);
    const second = await runCli(['ingest', file, '--json'], env);
    assert.equal(JSON.parse(second.stdout).changes, 0);
  });

  test('in-process search uses the gateway’s composition and settings (MG_SEARCH_INDEX=memory: no file)', async () => {
    const inMemory = await runCli(['search', 'bounty hunter', '--json'], { ...env, MG_SEARCH_INDEX: 'memory' });
    assert.equal(inMemory.code, 0, inMemory.stderr);
    assert.equal(JSON.parse(inMemory.stdout).results[0]?.title, 'The Mandalorian Special');
    assert.equal(existsSync(join(dir, 'data', 'search')), false);
    const onDisk = await runCli(['search', 'bounty hunter', '--json'], env);
    assert.equal(onDisk.code, 0, onDisk.stderr);
    assert.equal(existsSync(join(dir, 'data', 'search')), true);
    const typo = await runCli(['search', 'bounty hunter'], { ...env, MG_SEARCH_INDX: 'memory' });
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /MG_SEARCH_INDX: not a setting of this program \(did you mean MG_SEARCH_INDEX\?\)/);
  });

  test('titles ls/show with --json print the API shapes; bad ids and missing files fail clearly', async () => {
    const list = await runCli(['titles', 'ls', '--platform', 'disney-plus', '--json'], env);
    assert.equal(list.code, 0, list.stderr);
    const page = JSON.parse(list.stdout);
    assert.deepEqual(
      page.items.map((t: { title: string }) => t.title),
      ['Bluey', 'The Mandalorian Special'],
    );
    assert.equal(page.sampleData, null, 'an ingested file, not the sample');
    // The table says how old each title's availability is (the file gave no date), as search does.
    const table = await runCli(['titles', 'ls', '--platform', 'disney-plus'], env);
    assert.match(table.stdout, /SEEN|seen/);
    assert.match(table.stdout, /Bluey.*as of unknown/);
    const show = await runCli(['titles', 'show', page.items[0].id, '--json'], env);
    assert.equal(JSON.parse(show.stdout).offers.US['disney-plus'][0].urlKind, 'search');
    const human = await runCli(['titles', 'show', page.items[0].id], env);
    assert.match(human.stdout, /search page/);
    const badId = await runCli(['titles', 'show', 'nope'], env);
    assert.equal(badId.code, 2);
    const missing = await runCli(['titles', 'show', 'mg_aaaaaaaaaaaa'], env);
    assert.equal(missing.code, 3);
    const noFile = await runCli(['ingest', join(dir, 'nope.csv')], env);
    assert.equal(noFile.code, 3);
    assert.match(noFile.stderr, /No such file/);
    const badRegion = await runCli(['ingest', file, '--region', 'Mars'], env);
    assert.equal(badRegion.code, 2);
  });

  test('export writes JSONL that re-imports', async () => {
    const out = join(dir, 'export.jsonl');
    const exported = await runCli(['export', '--format', 'jsonl', '--out', out], env);
    assert.equal(exported.code, 0, exported.stderr);
    const otherEnv = { MG_DATA_DIR: join(dir, 'other') };
    const imported = await runCli(['ingest', out, '--json'], otherEnv);
    assert.equal(imported.code, 0, imported.stderr);
    assert.equal(JSON.parse(imported.stdout).files[0].counts.recordsCreated, 2);
    const again = await runCli(['ingest', out, '--json'], otherEnv);
    assert.equal(JSON.parse(again.stdout).changes, 0);
    const list = JSON.parse((await runCli(['titles', 'ls', '--json'], otherEnv)).stdout);
    assert.deepEqual(
      list.items.map((t: { title: string }) => t.title),
      ['Bluey', 'The Mandalorian Special'],
    );
  });

  test('export from a data directory with no database says so, and creates none', async () => {
    const empty = join(dir, 'never-served');
    const res = await runCli(['export', '--format', 'jsonl', '--out', join(dir, 'none.jsonl')], {
      MG_DATA_DIR: empty,
    });
    assert.equal(res.code, 3, res.stderr);
    assert.match(res.stderr, /No catalog database in .*never-served: set MG_DATA_DIR/);
    assert.equal(existsSync(empty), false);
  });

  test('resolution ls --json lists the review queue', async () => {
    const res = await runCli(['resolution', 'ls', '--json'], env);
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(JSON.parse(res.stdout).merges, []);
  });
});
