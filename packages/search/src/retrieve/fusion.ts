import type { Scored } from './lexical.ts';

export type FusionMethod = 'score' | 'rrf';

export interface Channel {
  name: 'lexical' | 'title' | 'vector' | 'genres' | 'browse' | 'expanded' | 'person';
  weight: number;
  hits: Scored[];
}

/**
 * Combines ranked lists from several retrieval channels. `score`: each channel's scores are
 * min–max normalised to 0–1 and summed with weights; `rrf`: reciprocal rank fusion (k = 60).
 * eval:search measures both; RRF scored better there and is the default (decision 0052).
 */
export function fuse(channels: Channel[], method: FusionMethod): Map<string, { score: number; from: Set<string> }> {
  const out = new Map<string, { score: number; from: Set<string> }>();
  for (const ch of channels) {
    if (ch.hits.length === 0) continue;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const h of ch.hits) {
      lo = Math.min(lo, h.score);
      hi = Math.max(hi, h.score);
    }
    const span = hi - lo;
    ch.hits.forEach((h, rank) => {
      const s = method === 'rrf' ? ch.weight / (60 + rank + 1) : ch.weight * (span > 0 ? (h.score - lo) / span : 1);
      const cur = out.get(h.id) ?? { score: 0, from: new Set<string>() };
      cur.score += s;
      cur.from.add(ch.name);
      out.set(h.id, cur);
    });
  }
  return out;
}
