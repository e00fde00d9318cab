import type { Queryable } from '@media-gateway/db';

/**
 * In-memory copy of the weighted full-text column (`titles.search_tsv`, migration 0030) with PostgreSQL's
 * `ts_rank` (default weights, normalisation 0) re-implemented over it, so the lexical channel needs no
 * database round trip per search (decision 0055). The lexemes are PostgreSQL's own: documents are loaded
 * as `search_tsv::text`, and a query word's lexemes come from `to_tsvector('english', word)` once, then
 * from a cache. PostgreSQL stays the source of truth: the index follows `catalog_events` through
 * `upsert` (search-service `refresh`), and the SQL channel (`lexical.ts`) answers while it is not loaded.
 *
 * Layout: PostgreSQL `WordEntryPos` values (weight in the top 2 bits, position in the low 14) of every title in
 * one pool, a range per title, and per lexeme a growable Int32Array of (doc, offset, count) triples into the
 * title's range (count's bits 16–17: the first position's weight class), sorted by doc slot.
 * A changed title gets a new doc slot; its old postings are skipped (dead slot) and compacted away when
 * dead slots pile up.
 */

/** ts_rank's default weights, D C B A, as float4 (the C code computes in float). */
const WEIGHTS = [Math.fround(0.1), Math.fround(0.2), Math.fround(0.4), Math.fround(1)];
const f = Math.fround;
const wpos = (wep: number) => WEIGHTS[wep >>> 14]!;
const posOf = (wep: number) => wep & 0x3fff;

/**
 * A posting's third int: how many positions (low 16 bits) and the weight class of the first (bits 16–17).
 */
const COUNT_MASK = 0xffff;

/**
 * Every title's positions in one array (a title's range starts at `start[slot]`), so a million titles are a few
 * objects for the garbage collector to walk, not a million. A removed title's range stays until `compact`.
 */
class PositionPool {
  data = new Uint16Array(4096);
  length = 0;
  start = new Int32Array(1024);
  size = new Int32Array(1024);

  /** Room for `count` more positions, for the title in `slot`; returns where they start. */
  reserve(slot: number, count: number): number {
    if (this.length + count > this.data.length) {
      const next = new Uint16Array(Math.max(this.data.length * 2, this.length + count));
      next.set(this.data.subarray(0, this.length));
      this.data = next;
    }
    if (slot >= this.start.length) {
      const grow = (a: Int32Array) => {
        const next = new Int32Array(Math.max(a.length * 2, slot + 1));
        next.set(a);
        return next;
      };
      this.start = grow(this.start);
      this.size = grow(this.size);
    }
    const at = this.length;
    this.start[slot] = at;
    this.size[slot] = count;
    this.length += count;
    return at;
  }
}

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

/** One lexeme's share of `calc_rank_or` (before the division by the query size): positions `offset…+count` of `pos`. */
function rankOrTerm(pos: Uint16Array, offset: number, count: number): number {
  let resj = 0;
  let wjm = -1;
  let jm = 0;
  for (let j = 0; j < count; j++) {
    const w = wpos(pos[offset + j]!);
    resj = f(resj + f(w / ((j + 1) * (j + 1))));
    if (w > wjm) {
      wjm = w;
      jm = j;
    }
  }
  return f(f(wjm + resj) - f(wjm / ((jm + 1) * (jm + 1)))) / 1.64493406685;
}

/** `rankOrTerm` of a lexeme at one position, by that position's weight class (D C B A). */
const SINGLE_TERM = [0, 1, 2, 3].map((weight) => rankOrTerm(Uint16Array.of(weight << 14), 0, 1));

/** `calc_rank_or`: every query lexeme's positions in the title (undefined when absent), `size` unique lexemes. */
function rankOr(lists: Array<Uint16Array | undefined>, size: number): number {
  let res = 0;
  for (const post of lists) if (post) res = f(res + rankOrTerm(post, 0, post.length));
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

/** Matching titles by slot with their ts_rank (before popularity), `count` of them. */
interface Matches {
  slots: ArrayLike<number>;
  rank: ArrayLike<number>;
  count: number;
}
const NO_MATCHES: Matches = { slots: [], rank: [], count: 0 };

export interface LexicalHit {
  id: string;
  score: number;
}

export class LexicalIndex {
  private readonly postings = new Map<string, Postings>();
  private docIds: string[] = [];
  private pool = new PositionPool();
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
  /** `matchAny`'s accumulator and seen marks by slot, all zeros between searches. */
  private orScratch = new Float32Array(0);
  private orSeen = new Uint8Array(0);

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
    this.compactIfWorthIt();
  }

  /** Rebuilds without dead slots once they pile up (over 10,000 and over a quarter of all slots). */
  compactIfWorthIt(): void {
    if (this.dead > 10_000 && this.dead > this.docIds.length / 4) this.compact();
  }

  upsert(id: string, tsv: string | null): void {
    this.remove(id);
    if (!tsv) return;
    const lexemes = parseTsvector(tsv);
    let total = 0;
    for (const p of lexemes.values()) total += p.length;
    const slot = this.docIds.length;
    const start = this.pool.reserve(slot, total);
    const pool = this.pool.data;
    if (slot >= this.alive.length) {
      const next = new Uint8Array(this.alive.length * 2);
      next.set(this.alive);
      this.alive = next;
    }
    let offset = 0;
    for (const [lex, positions] of lexemes) {
      pool.set(positions, start + offset);
      let list = this.postings.get(lex);
      if (!list) {
        list = new Postings();
        this.postings.set(lex, list);
      }
      list.push(slot, offset, positions.length | (((positions[0] ?? 0) >>> 14) << 16));
      offset += positions.length;
    }
    this.docIds.push(id);
    this.alive[slot] = 1;
    this.slotOf.set(id, slot);
  }

  remove(id: string): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    this.alive[slot] = 0;
    this.slotOf.delete(id);
    this.dead++;
  }

  /** Rebuilds the postings without dead slots. */
  private compact(): void {
    // Slots only grow (a changed title gets the next one), so postings stay sorted by slot after renumbering.
    const live = [...this.slotOf.entries()].sort((a, b) => a[1] - b[1]);
    const old = { pool: this.pool, postings: [...this.postings.entries()] };
    const renumber = new Int32Array(this.docIds.length).fill(-1);
    this.docIds = [];
    this.pool = new PositionPool();
    this.alive = new Uint8Array(Math.max(1024, live.length * 2));
    for (const [id, slot] of live) {
      renumber[slot] = this.docIds.length;
      this.slotOf.set(id, this.docIds.length);
      this.alive[this.docIds.length] = 1;
      const from = old.pool.start[slot]!;
      const count = old.pool.size[slot]!;
      const to = this.pool.reserve(this.docIds.length, count);
      this.pool.data.set(old.pool.data.subarray(from, from + count), to);
      this.docIds.push(id);
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
    const start = this.pool.start[slot]! + offset;
    return this.pool.data.subarray(start, start + count);
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
    const popularityOf = this.popularityBySlot(popularity, popularityVersion);
    // One lexeme: calc_rank_and is calc_rank_or then, and the dense path needs no position views.
    const found = mode === 'all' && unique.length > 1 ? this.matchAll(lists) : this.matchAny(lists, unique.length);
    const { slots, rank, count } = found;
    const scores = new Float64Array(count);
    for (let i = 0; i < count; i++) scores[i] = rank[i]! * (1 + popularityOf(slots[i]!) / popularityScale);
    return this.best(slots, scores, count, limit);
  }

  /** Titles holding every lexeme, with `calc_rank_and`'s rank. */
  private matchAll(lists: Array<Postings | undefined>): Matches {
    if (lists.some((l) => !l)) return NO_MATCHES;
    const present = lists as Postings[];
    // Walk the shortest list; the others are sorted by slot, so each keeps a cursor that only moves on.
    const order = present.map((_, i) => i).sort((a, b) => present[a]!.length - present[b]!.length);
    const driver = present[order[0]!]!;
    const cursors = new Array<number>(order.length).fill(0);
    const at = new Array<number>(present.length).fill(0);
    const slots: number[] = [];
    const rank: number[] = [];
    for (let i = 0; i < driver.length; i += 3) {
      const slot = driver.data[i]!;
      if (!this.alive[slot]) continue;
      at[order[0]!] = i;
      let all = true;
      for (let k = 1; k < order.length; k++) {
        const list = present[order[k]!]!;
        const next = seek(list, slot, cursors[k]!);
        cursors[k] = next;
        if (next >= list.length || list.data[next] !== slot) {
          all = false;
          break;
        }
        at[order[k]!] = next;
      }
      if (!all) continue;
      // Position views only for titles that match every lexeme: most of the driver's do not.
      const positions = present.map((list, q) =>
        this.positions(slot, list.data[at[q]! + 1]!, list.data[at[q]! + 2]! & COUNT_MASK),
      );
      slots.push(slot);
      rank.push(rankAnd(positions));
    }
    return { slots, rank, count: slots.length };
  }

  /**
   * Titles holding any lexeme, with `calc_rank_or`'s rank. That rank is a sum over the lexemes, so it is
   * accumulated in one dense array by slot (in lexeme order, rounded to float4 at each step as the C code
   * does): at a million titles, an order of magnitude cheaper than a map of positions per title.
   */
  private matchAny(lists: Array<Postings | undefined>, size: number): Matches {
    const n = this.docIds.length;
    if (this.orScratch.length < n) {
      this.orScratch = new Float32Array(Math.max(1024, n * 2));
      this.orSeen = new Uint8Array(this.orScratch.length);
    }
    const acc = this.orScratch;
    const seen = this.orSeen;
    let total = 0;
    for (const list of lists) if (list) total += list.length / 3;
    const slots = new Int32Array(total);
    let count = 0;
    const { alive } = this;
    const { data: positionData, start } = this.pool;
    for (const list of lists) {
      if (!list) continue;
      const data = list.data;
      for (let i = 0; i < list.length; i += 3) {
        const slot = data[i]!;
        if (!alive[slot]) continue;
        const packed = data[i + 2]!;
        // Most words occur once in a title: that term depends only on the position's weight, kept in the
        // posting, so the title's positions (one more memory access each) are read only for the others.
        const term =
          (packed & COUNT_MASK) === 1
            ? SINGLE_TERM[packed >>> 16]!
            : rankOrTerm(positionData, start[slot]! + data[i + 1]!, packed & COUNT_MASK);
        if (!seen[slot]) {
          seen[slot] = 1;
          slots[count++] = slot;
        }
        acc[slot] = acc[slot]! + term;
      }
    }
    const rank = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const slot = slots[i]!;
      rank[i] = size > 0 ? f(acc[slot]! / size) : acc[slot]!;
      acc[slot] = 0;
      seen[slot] = 0;
    }
    return { slots, rank, count };
  }

  /**
   * The `limit` best of `count` scored slots, best first, ties by id (as `byScore`); objects only for those.
   * Everything above the limit-th best score is in; titles tied at that score fill what is left in id order.
   */
  private best(slots: ArrayLike<number>, scores: Float64Array, count: number, limit: number): LexicalHit[] {
    if (count === 0) return [];
    const k = Math.min(limit, count);
    const kth = selectAt(scores.slice(0, count), count - k);
    const out: LexicalHit[] = [];
    const tied: string[] = [];
    for (let i = 0; i < count; i++) {
      const score = scores[i]!;
      if (score > kth) out.push({ id: this.docIds[slots[i]!]!, score });
      else if (score === kth) tied.push(this.docIds[slots[i]!]!);
    }
    for (const id of smallest(tied, k - out.length)) out.push({ id, score: kth });
    return out.sort(byScore);
  }

  /** Slots of removed or changed titles not compacted away yet (for tests and diagnostics). */
  get deadSlots(): number {
    return this.dead;
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

/** The `m` smallest strings in code unit order (byScore's tie order), in that order. */
function smallest(xs: string[], m: number): string[] {
  if (m <= 0) return [];
  if (xs.length > m * 4) {
    // A broad tie (a common word, no popularity) can hold a large share of the catalog: select, then sort.
    const cut = selectAt(xs.slice(), m - 1);
    xs = xs.filter((x) => x <= cut);
  }
  return xs.sort().slice(0, m);
}

/**
 * The value that would be at index `target` were `xs` sorted ascending (numbers, or strings in code unit
 * order); reorders `xs` (quickselect: linear on average).
 */
function selectAt<T extends number | string>(xs: { length: number; [i: number]: T }, target: number): T {
  let lo = 0;
  let hi = xs.length - 1;
  while (lo < hi) {
    const pivot = xs[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (xs[i]! < pivot) i++;
      while (xs[j]! > pivot) j--;
      if (i <= j) {
        const t = xs[i]!;
        xs[i] = xs[j]!;
        xs[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return xs[target]!;
}
