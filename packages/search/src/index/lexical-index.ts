import type { Queryable } from '@media-gateway/db';

/**
 * In-memory copy of the weighted full-text column (`titles.search_tsv`, migration 0030) with PostgreSQL's
 * `ts_rank` (default weights, normalisation 0) re-implemented over it, so the lexical channel needs no
 * database round trip per search (decision 0055). The lexemes are PostgreSQL's own: documents are loaded
 * as `search_tsv::text`, and a query word's lexemes come from `to_tsvector('english', word)` once, then
 * from a cache. PostgreSQL stays the source of truth: the index follows `catalog_events` through
 * `upsert` (search-service `refresh`), and the SQL channel (`lexical.ts`) answers while it is not loaded.
 *
 * Layout: one packed Uint16Array of PostgreSQL `WordEntryPos` values per title (weight in the top 2 bits,
 * position in the low 14), and per lexeme a growable Int32Array of (doc, offset, count) triples into it,
 * sorted by doc slot.
 * A changed title gets a new doc slot; its old postings are skipped (dead slot) and compacted away when
 * dead slots pile up.
 */

/** ts_rank's default weights, D C B A, as float4 (the C code computes in float). */
const WEIGHTS = [Math.fround(0.1), Math.fround(0.2), Math.fround(0.4), Math.fround(1)];
const f = Math.fround;
const wpos = (wep: number) => WEIGHTS[wep >>> 14]!;
const posOf = (wep: number) => wep & 0x3fff;

class Postings {
  data = new Int32Array(12);
  length = 0;
  push(doc: number, offset: number, count: number): void {
    if (this.length + 3 > this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = doc;
    this.data[this.length++] = offset;
    this.data[this.length++] = count;
  }
  /** Live postings only (each posting is 3 ints). */
  countLive(alive: Uint8Array): number {
    let n = 0;
    for (let i = 0; i < this.length; i += 3) n += alive[this.data[i]!]!;
    return n;
  }
}

/** Parses PostgreSQL's tsvector text output (`'lexeme':1A,5B 'other':3`) into lexeme → WordEntryPos values. */
export function parseTsvector(text: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && text[i] === ' ') i++;
    if (i >= n) break;
    let lex = '';
    if (text[i] === "'") {
      i++;
      while (i < n) {
        const ch = text[i]!;
        if (ch === "'") {
          if (text[i + 1] === "'") {
            lex += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (ch === '\\' && i + 1 < n) {
          lex += text[i + 1];
          i += 2;
          continue;
        }
        lex += ch;
        i++;
      }
    } else {
      while (i < n && text[i] !== ' ' && text[i] !== ':') lex += text[i++];
    }
    const positions: number[] = [];
    if (text[i] === ':') {
      i++;
      for (;;) {
        let pos = 0;
        while (i < n && text[i]! >= '0' && text[i]! <= '9') pos = pos * 10 + (text.charCodeAt(i++) - 48);
        let weight = 0;
        const w = text[i];
        if (w === 'A') weight = 3;
        else if (w === 'B') weight = 2;
        else if (w === 'C') weight = 1;
        else if (w === 'D') weight = 0;
        if (w === 'A' || w === 'B' || w === 'C' || w === 'D' || w === '*') i++;
        positions.push((weight << 14) | (pos & 0x3fff));
        if (text[i] === ',') i++;
        else break;
      }
    } else positions.push(0);
    out.set(lex, positions);
  }
  return out;
}

/** PostgreSQL `word_distance` (tsrank.c): weight of two words `w` positions apart. */
function wordDistance(w: number): number {
  if (w > 100) return f(1e-30);
  return f(1.0 / (1.005 + 0.05 * Math.exp(f(w) / 1.5 - 2)));
}

/** `calc_rank_or`: every query lexeme's positions in the title (undefined when absent), `size` unique lexemes. */
function rankOr(lists: Array<Uint16Array | undefined>, size: number): number {
  let res = 0;
  for (const post of lists) {
    if (!post) continue;
    let resj = 0;
    let wjm = -1;
    let jm = 0;
    for (let j = 0; j < post.length; j++) {
      const w = wpos(post[j]!);
      resj = f(resj + f(w / ((j + 1) * (j + 1))));
      if (w > wjm) {
        wjm = w;
        jm = j;
      }
    }
    res = f(res + f(f(wjm + resj) - f(wjm / ((jm + 1) * (jm + 1)))) / 1.64493406685);
  }
  return size > 0 ? f(res / size) : res;
}

/** `calc_rank_and`: proximity of every pair of query lexemes (all present in the title). */
function rankAnd(lists: Uint16Array[]): number {
  if (lists.length < 2) return rankOr(lists, lists.length);
  let res = -1;
  for (let i = 1; i < lists.length; i++) {
    const post = lists[i]!;
    for (let k = 0; k < i; k++) {
      const ct = lists[k]!;
      for (let l = 0; l < post.length; l++) {
        for (let p = 0; p < ct.length; p++) {
          const dist = Math.abs(posOf(post[l]!) - posOf(ct[p]!));
          if (!dist) continue;
          const curw = f(Math.sqrt(f(f(wpos(post[l]!) * wpos(ct[p]!)) * wordDistance(dist))));
          res = res < 0 ? curw : f(1.0 - (1.0 - res) * (1.0 - curw));
        }
      }
    }
  }
  return res < 0 ? f(1e-20) : res;
}

export interface LexicalHit {
  id: string;
  score: number;
}

export class LexicalIndex {
  private readonly postings = new Map<string, Postings>();
  private docIds: string[] = [];
  private docPos: Array<Uint16Array | undefined> = [];
  private alive = new Uint8Array(1024);
  private readonly slotOf = new Map<string, number>();
  private dead = 0;
  /** Query word → its lexemes (PostgreSQL's `english` configuration), bounded. */
  private readonly lexemeCache = new Map<string, string[]>();
  /**
   * Popularity by doc slot, as the caller's `popularity` gave it while its `version` stayed the same (NaN: not
   * asked yet). A broad query scores thousands of titles, and each look-up by id costs a Map probe.
   */
  private popularityMemo = { version: Number.NaN, bySlot: new Float64Array(0) };

  /** The last `catalog_events` seq applied. */
  lastSeq = 0;

  get size(): number {
    return this.slotOf.size;
  }

  /** Loads every title's `search_tsv` (PGlite ~1–2 s at 30k titles). */
  static async load(db: Queryable): Promise<LexicalIndex> {
    const index = new LexicalIndex();
    const seq = await db.query<{ s: string | null }>('SELECT max(seq)::text AS s FROM catalog_events');
    index.lastSeq = Number(seq.rows[0]?.s ?? 0);
    const rows = await db.query<{ id: string; tsv: string | null }>('SELECT id, search_tsv::text AS tsv FROM titles');
    for (const r of rows.rows) index.upsert(r.id, r.tsv);
    return index;
  }

  /** Applies the catalog events after `lastSeq`; returns how many titles changed. */
  async catchUp(db: Queryable): Promise<number> {
    const ev = await db.query<{ title_id: string; seq: string }>(
      'SELECT title_id, max(seq)::text AS seq FROM catalog_events WHERE seq > $1 GROUP BY title_id',
      [this.lastSeq],
    );
    if (ev.rows.length === 0) return 0;
    await this.reload(
      db,
      ev.rows.map((r) => r.title_id),
    );
    this.lastSeq = Math.max(this.lastSeq, ...ev.rows.map((r) => Number(r.seq)));
    return ev.rows.length;
  }

  /** Re-reads the given titles from the database (after catalog events); titles that are gone are removed. */
  async reload(db: Queryable, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const rows = await db.query<{ id: string; tsv: string | null }>(
      'SELECT id, search_tsv::text AS tsv FROM titles WHERE id = ANY($1::text[])',
      [ids],
    );
    const found = new Set<string>();
    for (const r of rows.rows) {
      found.add(r.id);
      this.upsert(r.id, r.tsv);
    }
    for (const id of ids) if (!found.has(id)) this.remove(id);
    if (this.dead > 10_000 && this.dead > this.docIds.length / 4) this.compact();
  }

  upsert(id: string, tsv: string | null): void {
    this.remove(id);
    if (!tsv) return;
    const lexemes = parseTsvector(tsv);
    let total = 0;
    for (const p of lexemes.values()) total += p.length;
    const packed = new Uint16Array(total);
    const slot = this.docIds.length;
    if (slot >= this.alive.length) {
      const next = new Uint8Array(this.alive.length * 2);
      next.set(this.alive);
      this.alive = next;
    }
    let offset = 0;
    for (const [lex, positions] of lexemes) {
      packed.set(positions, offset);
      let list = this.postings.get(lex);
      if (!list) {
        list = new Postings();
        this.postings.set(lex, list);
      }
      list.push(slot, offset, positions.length);
      offset += positions.length;
    }
    this.docIds.push(id);
    this.docPos.push(packed);
    this.alive[slot] = 1;
    this.slotOf.set(id, slot);
  }

  remove(id: string): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    this.alive[slot] = 0;
    this.docPos[slot] = undefined;
    this.slotOf.delete(id);
    this.dead++;
  }

  /** Rebuilds the postings without dead slots. */
  private compact(): void {
    // Slots only grow (a changed title gets the next one), so postings stay sorted by slot after renumbering.
    const live = [...this.slotOf.entries()].sort((a, b) => a[1] - b[1]);
    const old = { docPos: this.docPos, postings: [...this.postings.entries()] };
    const renumber = new Int32Array(this.docIds.length).fill(-1);
    this.docIds = [];
    this.docPos = [];
    this.alive = new Uint8Array(Math.max(1024, live.length * 2));
    for (const [id, slot] of live) {
      renumber[slot] = this.docIds.length;
      this.slotOf.set(id, this.docIds.length);
      this.alive[this.docIds.length] = 1;
      this.docIds.push(id);
      this.docPos.push(old.docPos[slot]);
    }
    this.postings.clear();
    this.popularityMemo = { version: Number.NaN, bySlot: new Float64Array(0) };
    for (const [lex, list] of old.postings) {
      const next = new Postings();
      for (let i = 0; i < list.length; i += 3) {
        const to = renumber[list.data[i]!]!;
        if (to >= 0) next.push(to, list.data[i + 1]!, list.data[i + 2]!);
      }
      if (next.length) this.postings.set(lex, next);
    }
    this.dead = 0;
  }

  /**
   * The lexemes of each query word, as `to_tsvector('english', word)` makes them (stop words have none).
   * Words not seen before cost one query; the answer is cached (at most 50,000 words, then cleared).
   */
  async lexemes(db: Queryable, words: string[]): Promise<string[][]> {
    const missing = [...new Set(words.filter((w) => !this.lexemeCache.has(w)))];
    if (missing.length) {
      const rows = await db.query<{ w: string; tsv: string }>(
        "SELECT w, to_tsvector('english', w)::text AS tsv FROM unnest($1::text[]) AS w",
        [missing],
      );
      if (this.lexemeCache.size + missing.length > 50_000) this.lexemeCache.clear();
      for (const r of rows.rows) this.lexemeCache.set(r.w, [...parseTsvector(r.tsv).keys()]);
    }
    return words.map((w) => this.lexemeCache.get(w) ?? []);
  }

  private positions(slot: number, offset: number, count: number): Uint16Array {
    return this.docPos[slot]!.subarray(offset, offset + count);
  }

  /**
   * `popularity` by doc slot; remembered across searches while `version` stays the same (undefined: asked
   * every time).
   */
  private popularityBySlot(popularity: (id: string) => number, version: number | undefined): (slot: number) => number {
    if (version === undefined) return (slot) => popularity(this.docIds[slot]!);
    let memo = this.popularityMemo;
    if (memo.version !== version || memo.bySlot.length < this.docIds.length) {
      const bySlot = new Float64Array(Math.max(1024, this.docIds.length * 2)).fill(Number.NaN);
      // New slots were added since: what was remembered for the others still holds at the same version.
      if (memo.version === version) bySlot.set(memo.bySlot);
      memo = { version, bySlot };
      this.popularityMemo = memo;
    }
    const { bySlot } = memo;
    return (slot) => {
      let p = bySlot[slot]!;
      if (Number.isNaN(p)) {
        p = popularity(this.docIds[slot]!);
        bySlot[slot] = p;
      }
      return p;
    };
  }

  /**
   * `WHERE search_tsv @@ q ORDER BY ts_rank(search_tsv, q) * (1 + popularity / scale) DESC, id LIMIT n`
   * for `q` = the lexemes joined by `&` (`all`) or `|`. Ties on the score go by id (C collation order).
   * `popularityVersion`: `popularity` gives the same answer for a title while this stays the same.
   */
  search(
    lexemes: string[],
    mode: 'all' | 'any',
    limit: number,
    popularity: (id: string) => number,
    popularityScale: number,
    popularityVersion?: number,
  ): LexicalHit[] {
    const unique = [...new Set(lexemes)];
    if (unique.length === 0 || limit <= 0) return [];
    const lists = unique.map((l) => this.postings.get(l));
    const hits: LexicalHit[] = [];
    const popularityOf = this.popularityBySlot(popularity, popularityVersion);
    const scored = (slot: number, rank: number) => {
      hits.push({ id: this.docIds[slot]!, score: rank * (1 + popularityOf(slot) / popularityScale) });
    };
    if (mode === 'all') {
      if (lists.some((l) => !l)) return [];
      const present = lists as Postings[];
      // Walk the shortest list; the others are sorted by slot, so each keeps a cursor that only moves on.
      const order = present.map((_, i) => i).sort((a, b) => present[a]!.length - present[b]!.length);
      const driver = present[order[0]!]!;
      const cursors = new Array<number>(order.length).fill(0);
      const found: Uint16Array[] = new Array(unique.length);
      for (let i = 0; i < driver.length; i += 3) {
        const slot = driver.data[i]!;
        if (!this.alive[slot]) continue;
        found[order[0]!] = this.positions(slot, driver.data[i + 1]!, driver.data[i + 2]!);
        let all = true;
        for (let k = 1; k < order.length; k++) {
          const list = present[order[k]!]!;
          const at = seek(list, slot, cursors[k]!);
          cursors[k] = at;
          if (at >= list.length || list.data[at] !== slot) {
            all = false;
            break;
          }
          found[order[k]!] = this.positions(slot, list.data[at + 1]!, list.data[at + 2]!);
        }
        if (all) scored(slot, rankAnd(found));
      }
    } else {
      const perSlot = new Map<number, Array<Uint16Array | undefined>>();
      lists.forEach((list, q) => {
        if (!list) return;
        for (let i = 0; i < list.length; i += 3) {
          const slot = list.data[i]!;
          if (!this.alive[slot]) continue;
          let row = perSlot.get(slot);
          if (!row) {
            row = new Array(unique.length);
            perSlot.set(slot, row);
          }
          row[q] = this.positions(slot, list.data[i + 1]!, list.data[i + 2]!);
        }
      });
      for (const [slot, row] of perSlot) scored(slot, rankOr(row, unique.length));
    }
    return topK(hits, limit);
  }

  /** Live titles that contain a lexeme (for tests and diagnostics). */
  documentFrequency(lexeme: string): number {
    return this.postings.get(lexeme)?.countLive(this.alive) ?? 0;
  }
}

/** Index of the first triple at or after `from` whose slot is ≥ `slot` (lists are sorted by slot). */
function seek(list: Postings, slot: number, from: number): number {
  let lo = from / 3;
  let hi = list.length / 3;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list.data[mid * 3]! < slot) lo = mid + 1;
    else hi = mid;
  }
  return lo * 3;
}

const byScore = (a: LexicalHit, b: LexicalHit) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The `limit` best hits, best first (a full sort only when it is cheap). */
function topK(hits: LexicalHit[], limit: number): LexicalHit[] {
  if (hits.length <= limit * 4) return hits.sort(byScore).slice(0, limit);
  // Sorting plain numbers is much cheaper than objects: find the k-th best score, then sort only those above.
  const scores = Float64Array.from(hits, (h) => h.score).sort();
  const kth = scores[scores.length - limit]!;
  return hits
    .filter((h) => h.score >= kth)
    .sort(byScore)
    .slice(0, limit);
}
