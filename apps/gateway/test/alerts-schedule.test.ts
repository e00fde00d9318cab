import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dueAt, inQuietHours, localMinutes, nextLocalTime } from '../src/alerts/delivery-schedule.ts';
import { escapeText, foldLine } from '../src/alerts/ical.ts';

const at = (iso: string) => Date.parse(iso);
const prefs = {
  quietHours: { start: '22:00', end: '07:00' },
  timeZone: 'Europe/Paris',
  digest: 'immediate' as const,
  digestHour: 8,
};

describe('when a delivery may go out (quiet hours, digest, time zones)', () => {
  test('local time follows the zone, including summer time', () => {
    assert.equal(localMinutes(at('2030-01-15T21:30:00Z'), 'Europe/Paris'), 22 * 60 + 30); // UTC+1
    assert.equal(localMinutes(at('2030-07-15T21:30:00Z'), 'Europe/Paris'), 23 * 60 + 30); // UTC+2
  });

  test('quiet hours that wrap past midnight hold interrupting channels until they end; in-app never waits', () => {
    const night = at('2030-01-15T22:30:00Z'); // 23:30 in Paris
    assert.equal(inQuietHours(night, prefs), true);
    assert.equal(new Date(dueAt('webhook', prefs, night)).toISOString(), '2030-01-16T06:00:00.000Z'); // 07:00 Paris
    assert.equal(dueAt('inapp', prefs, night), night);
    const day = at('2030-01-15T12:00:00Z');
    assert.equal(inQuietHours(day, prefs), false);
    assert.equal(dueAt('email', prefs, day), day);
  });

  test('a daily digest waits for the digest hour, then for quiet hours to end if the hour is quiet', () => {
    const afternoon = at('2030-01-15T14:00:00Z');
    assert.equal(
      new Date(dueAt('push', { ...prefs, digest: 'daily' }, afternoon)).toISOString(),
      '2030-01-16T07:00:00.000Z', // 08:00 Paris next day
    );
    const quietDigest = { ...prefs, digest: 'daily' as const, digestHour: 6 };
    assert.equal(
      new Date(dueAt('push', quietDigest, afternoon)).toISOString(),
      '2030-01-16T06:00:00.000Z', // 06:00 is quiet: 07:00 Paris
    );
  });

  test('an urgent alert (leaving within a day) skips the digest and is not held past its deadline', () => {
    const night = at('2030-01-15T22:30:00Z');
    const leaves = at('2030-01-16T03:00:00Z');
    assert.equal(dueAt('email', { ...prefs, digest: 'daily' }, night, leaves), night);
    const leavesLater = at('2030-01-16T18:00:00Z');
    assert.equal(
      new Date(dueAt('email', { ...prefs, digest: 'daily' }, night, leavesLater)).toISOString(),
      '2030-01-16T06:00:00.000Z',
    );
  });

  test('next local time across the spring-forward night (Paris, 2030-03-31)', () => {
    const before = at('2030-03-30T12:00:00Z');
    assert.equal(new Date(nextLocalTime(before, 7 * 60, 'Europe/Paris')).toISOString(), '2030-03-31T05:00:00.000Z');
    assert.equal(new Date(nextLocalTime(before, 7 * 60, 'America/New_York')).toISOString(), '2030-03-31T11:00:00.000Z');
  });
});

describe('iCalendar text (RFC 5545)', () => {
  test('escapes backslash, semicolon, comma and newlines', () => {
    assert.equal(escapeText('a\\b;c,d\ne'), 'a\\\\b\\;c\\,d\\ne');
  });
  test('folds at 75 octets without splitting a UTF-8 character', () => {
    const line = `SUMMARY:${'é'.repeat(100)}`;
    const folded = foldLine(line).split('\r\n');
    assert.ok(folded.length > 1);
    for (const part of folded) assert.ok(Buffer.byteLength(part) <= 75, part);
    assert.equal(folded.map((p, i) => (i === 0 ? p : p.slice(1))).join(''), line);
    assert.ok(folded.slice(1).every((p) => p.startsWith(' ')));
  });
});
