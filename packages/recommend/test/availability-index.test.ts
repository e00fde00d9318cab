import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AvailabilityIndex } from '../src/availability-index.ts';
import { genreCatalog } from './test-items.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 5, 1);

test(
  '"new on your services": dated recently by the source, ' +
    'or first seen after the first import — never the first import itself',
  () => {
    const items = genreCatalog(3);
    const [first, dated, later, old, elsewhere] = items.ids;
    const at = (ms: number) => new Date(ms);
    const idx = new AvailabilityIndex(
      [
        {
          title_id: first!,
          platform: 'netflix',
          region: 'US',
          since: at(NOW - 5 * DAY),
          first_seen: at(NOW - 5 * DAY),
          explicit: false,
        },
        {
          title_id: dated!,
          platform: 'netflix',
          region: 'US',
          since: at(NOW - 3 * DAY),
          first_seen: at(NOW - 5 * DAY),
          explicit: true,
        },
        {
          title_id: later!,
          platform: 'hulu',
          region: 'US',
          since: at(NOW - 2 * DAY),
          first_seen: at(NOW - 2 * DAY),
          explicit: false,
        },
        {
          title_id: old!,
          platform: 'netflix',
          region: 'US',
          since: at(NOW - 400 * DAY),
          first_seen: at(NOW - 5 * DAY),
          explicit: true,
        },
        {
          title_id: elsewhere!,
          platform: 'netflix',
          region: 'DE',
          since: at(NOW - 1 * DAY),
          first_seen: at(NOW - 1 * DAY),
          explicit: true,
        },
      ],
      items,
    );
    const fresh = idx.fresh('US', ['hulu', 'netflix'], NOW);
    assert.deepEqual(new Set(fresh.items.map((i) => items.ids[i])), new Set([dated, later]));
    assert.equal(fresh.platformOf(items.index.get(later!)!), 'hulu');
    assert.deepEqual(
      idx.fresh('US', ['netflix'], NOW).items.map((i) => items.ids[i]),
      [dated],
    );
    assert.equal(
      idx.fresh('US', ['hulu', 'netflix'], NOW + 40 * DAY).items.length,
      0,
      'thirty days later nothing is new',
    );
    assert.deepEqual(
      [...idx.allowed('US', ['netflix'])].reduce((n, x) => n + x, 0),
      3,
    );
    assert.deepEqual(idx.platforms('US', []), ['hulu', 'netflix']);
  },
);
