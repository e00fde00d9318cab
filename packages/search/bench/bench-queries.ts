import type { CatalogEntry } from '../src/index.ts';
import { MOODS } from '../src/index.ts';

/** Deterministic pseudo-random numbers, so every run times the same queries. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/**
 * A mixed workload: typed titles (some with a typo), free-text topics, moods with services and
 * decades, people, "like X" anchors and pure-constraint queries.
 */
export function mixedQueries(entries: CatalogEntry[], tags: string[], n: number, seed = 7): string[] {
  const r = seeded(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  const popular = [...entries].sort((a, b) => b.popularity - a.popularity).slice(0, 2000);
  const services = ['on netflix', 'on hulu', 'on disney+', 'on prime video', ''];
  const decades = ['80s', '90s', '2000s', 'after 2015', ''];
  const genres = [
    'comedies',
    'horror',
    'dramas',
    'thrillers',
    'documentaries',
    'sci-fi',
    'romance',
    'crime',
    'animated',
  ];
  const out: string[] = [];
  while (out.length < n) {
    const k = out.length % 7;
    const e = pick(popular);
    if (k === 0) out.push(e.title);
    else if (k === 1) {
      const t = e.title;
      const i = Math.floor(r() * Math.max(1, t.length - 1));
      out.push(t.slice(0, i) + t.slice(i + 1));
    } else if (k === 2) out.push(pick(tags));
    else if (k === 3)
      out.push(
        `${pick([...MOODS]).mood} ${pick(genres)} ${pick(services)} ${pick(decades)}`.replace(/\s+/g, ' ').trim(),
      );
    else if (k === 4) out.push(`something like ${e.title} ${pick(services)}`.trim());
    else if (k === 5 && e.directors[0]) out.push(`directed by ${e.directors[0]}`);
    else if (k === 5 && e.cast[0]) out.push(`movies with ${e.cast[0]}`);
    else {
      // Picked in this order (the seeded sequence): genre, kind, runtime, service.
      const [genre, kind, runtime, service] = [
        pick(genres),
        pick(['movies', 'series', '']),
        pick(['90 minutes', '2 hours', '45 minutes']),
        pick(services),
      ];
      out.push(`${genre} ${kind} under ${runtime} ${service}`.replace(/\s+/g, ' ').trim());
    }
  }
  return out;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
