import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { freeToWatch, matchVideo, YOUTUBE_MOVIES_STORE_CHANNEL } from '../../src/sources/youtube/youtube-mapper.ts';
import type { YtVideo } from '../../src/sources/youtube/youtube-types.ts';

const film = (over: { channelId?: string; status?: YtVideo['status'] }): YtVideo => ({
  kind: 'youtube#video',
  id: 'v1',
  snippet: { title: 'Night of the Living Dead (1968) | Full Movie', channelId: over.channelId ?? 'UCrightsHolder' },
  contentDetails: { duration: 'PT1H36M', licensedContent: true },
  ...(over.status !== undefined ? { status: over.status } : {}),
});
const anchor = { title: 'Night of the Living Dead', year: 1968, runtimeMinutes: 96 };

describe('YouTube: free only when YouTube says so', () => {
  test('a public, embeddable full-length upload outside the film store is free to watch', () => {
    const v = film({ status: { privacyStatus: 'public', embeddable: true } });
    assert.deepEqual(freeToWatch(v), { free: true });
    assert.equal(matchVideo(anchor, [v], 'US')?.id, 'v1');
  });

  test('without part=status, unlisted or private, not embeddable, or a film-store item: not an offer', () => {
    const cases: Array<[YtVideo, RegExp]> = [
      [film({}), /not a public video/],
      [film({ status: { privacyStatus: 'unlisted', embeddable: true } }), /not a public video/],
      [film({ status: { privacyStatus: 'public', embeddable: false } }), /outside youtube\.com/],
      [
        film({ channelId: YOUTUBE_MOVIES_STORE_CHANNEL, status: { privacyStatus: 'public', embeddable: true } }),
        /film store/,
      ],
    ];
    for (const [v, why] of cases) {
      const r = freeToWatch(v);
      assert.equal(r.free, false);
      if (!r.free) assert.match(r.why, why);
      assert.equal(matchVideo(anchor, [v], 'US'), undefined);
    }
  });
});
