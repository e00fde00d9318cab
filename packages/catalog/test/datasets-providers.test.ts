import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { getPlatform, SourceRecordSchema } from '@media-gateway/domain';
import { datasetsDir } from '@media-gateway/testkit';
import { openFileSource } from '../src/sources/files/open-file-source.ts';
import { toStoredOffer } from '../src/store/offer-links.ts';

/** The registry before issue 15: nine services; offers on anything else were dropped at ingestion. */
const FIRST_NINE = new Set([
  'netflix',
  'prime-video',
  'disney-plus',
  'hulu',
  'max',
  'apple-tv-plus',
  'paramount-plus',
  'peacock',
  'youtube',
]);

describe('issue 15: ingesting the shared datasets keeps offers for every provider they name', () => {
  test('every offer of every importable dataset file is stored; providers counted before/after', async (t) => {
    const ds = datasetsDir();
    if (ds.dir === undefined) return t.skip(ds.skip);
    const named = new Map<string, number>();
    let offers = 0;
    let dropped = 0;
    // catalogs/ and justwatch/ are the formats we import (availability/ has no importer yet).
    for (const folder of ['catalogs', 'justwatch']) {
      for (const file of (await readdir(join(ds.dir, folder))).filter((f) => f.endsWith('.csv')).sort()) {
        const source = await openFileSource(join(ds.dir, folder, file));
        for await (const item of source.read({})) {
          if (!item.record) continue;
          const parsed = SourceRecordSchema.safeParse(item.record);
          if (!parsed.success) continue;
          for (const o of parsed.data.offers) {
            offers++;
            const stored = toStoredOffer(o, parsed.data);
            if ('error' in stored) dropped++;
            else named.set(stored.platform, (named.get(stored.platform) ?? 0) + 1);
          }
        }
      }
    }
    const before = [...named.keys()].filter((p) => FIRST_NINE.has(p));
    t.diagnostic(
      `offers ${offers}, dropped ${dropped}; providers named ${named.size} (${[...named.keys()].sort().join(', ')}); ` +
        `kept before issue 15: ${before.length}, after: ${named.size}`,
    );
    assert.ok(offers > 40_000, `${offers} offers`);
    assert.equal(dropped, 0, 'no offer is dropped for its provider');
    for (const p of named.keys()) assert.ok(getPlatform(p), `${p} is a registry provider`);
    assert.deepEqual([...named.keys()].sort(), ['disney-plus', 'hulu', 'netflix', 'prime-video']);
  });
});
