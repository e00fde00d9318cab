import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { createTestApp, type TestApp } from './test-app.ts';
import { device, listen, sampleTitleIds, waitFor } from './sync-helpers.ts';

const run = promisify(execFile);
const BIN = resolve(import.meta.dirname, '..', '..', 'cli', 'bin', 'media-gateway.js');

describe('CLI: watchlist, devices, send', () => {
  let t: TestApp;
  let http: string;
  let ws: string;
  let token: string;
  let titles: string[];
  before(async () => {
    t = await createTestApp({ sample: true });
    ({ http, ws } = await listen(t));
    token = await t.token('u-cli', ['watchlist:read', 'watchlist:write', 'devices']);
    titles = await sampleTitleIds(t, 1);
  });
  after(() => t.close());

  const cli = (...args: string[]) =>
    run(process.execPath, [BIN, ...args, '--url', http], { env: { ...process.env, MG_TOKEN: token } });

  test('[CLI1] watchlist add, ls --json, rm; bad id exits 2', async () => {
    await cli('watchlist', 'add', titles[0]!);
    const { stdout } = await cli('watchlist', 'ls', '--json');
    const [item] = JSON.parse(stdout).items;
    assert.equal(item.titleId, titles[0]);
    const name = (await t.app.inject({ method: 'GET', url: `/api/titles/${titles[0]}` })).json();
    assert.deepEqual([item.title, item.year, item.type], [name.title, name.year, name.type], 'each entry is named');
    const table = (await cli('watchlist', 'ls')).stdout;
    assert.ok(table.includes(titles[0]!) && table.includes(`${name.title} (${name.year})`), table);
    await cli('watchlist', 'rm', titles[0]!);
    await assert.rejects(cli('watchlist', 'add', 'nope'), (e: { code: number }) => e.code === 2);
  });

  test('[CLI2] devices ls and send --to <name> reach the live device', async () => {
    const tv = await device(ws, token, 'tv-1', undefined, 'Bedroom TV');
    const got: string[] = [];
    tv.on('handoff', (h) => got.push(h.titleId));
    const { stdout } = await cli('devices', 'ls');
    assert.match(stdout, /Bedroom TV/);
    const sent = await cli('send', titles[0]!, '--to', 'bedroom tv', '--at', '60');
    assert.match(sent.stdout, /delivered now/);
    await waitFor(() => got.includes(titles[0]!), 'tv got it');
    await assert.rejects(cli('send', titles[0]!, '--to', 'kitchen'), (e: { code: number }) => e.code === 3);
    await tv.close();
  });

  test('send --to tv finds the one device of that type; two of them ask for a name', async () => {
    const living = await device(ws, token, 'tv-2', undefined, 'Living Room', 'tv');
    const got: string[] = [];
    living.on('handoff', (h) => got.push(h.titleId));
    assert.match((await cli('send', titles[0]!, '--to', 'tv')).stdout, /delivered now/);
    await waitFor(() => got.includes(titles[0]!), 'the TV got it');
    const den = await device(ws, token, 'tv-3', undefined, 'Den', 'tv');
    await assert.rejects(
      cli('send', titles[0]!, '--to', 'TV'),
      (e: { code: number; stderr: string }) => e.code === 2 && /"Living Room" tv-2/.test(e.stderr),
    );
    await living.close();
    await den.close();
  });
});
