import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { SAMPLE_DATA, type StalenessPolicy } from '@media-gateway/catalog';
import type { Db } from '@media-gateway/db';
import {
  type Clock,
  DomainError,
  getPlatform,
  type Logger,
  noopLogger,
  isRegion,
  systemClock,
} from '@media-gateway/domain';
import {
  EMPTY_CATALOG_NOTE,
  NO_SOURCE_REPORTED,
  type NearMatch,
  type NotStreaming,
  type SearchResponse,
  type SearchUnderstood,
} from '@media-gateway/domain/contracts';
import type { Embedder } from './embed/embedder.ts';
import type { VectorsKind } from './embed/local-embedder.ts';
import { OpenAiEmbedder, type OpenAiEmbedderOptions } from './embed/openai-embedder.ts';
import type { WordModelOptions } from './embed/word-vectors.ts';
import { buildVectors, needsRetraining } from './index/build-vectors.ts';
import { LexicalIndex } from './index/lexical-index.ts';
import {
  FEW_RESULTS,
  findNearMatches,
  type NearMatch as Near,
  popularWithoutTheWords,
} from './retrieve/near-matches.ts';
import {
  NOT_STREAMING_SHOWN,
  notStreamingByWords,
  notStreamingByWordsNote,
  notStreamingHere,
  notStreamingNote,
  notStreamingView,
  regionOffers,
} from './retrieve/not-streaming-here.ts';
import { PERSONAL_POOL, type PersonalRanking, personalize } from './retrieve/personal.ts';
import { type CatalogEntry, TitleCatalog } from './index/title-catalog.ts';
import type { VectorIndex } from './index/vector-index.ts';
import { explain, loadPage } from './results.ts';
import { type Constraints, freeOn } from './retrieve/filters.ts';
import type { FusionMethod } from './retrieve/fusion.ts';
import { type ChannelWeights, entryDoc, type RetrievalMode, rank, type StageObserver } from './retrieve/rank.ts';
import type { SearchIntent } from './understand/intent.ts';
import { type LlmParserOptions, parseWithLlm } from './understand/llm-parser.ts';
import { parseQuery } from './understand/parse-query.ts';

export const MAX_QUERY_LENGTH = 500;
export const DEFAULT_REGION = 'US';

export interface SearchRequest {
  query: string;
  region?: string | undefined;
  services?: string[] | undefined;
  type?: 'movie' | 'series' | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
  /** From the signed-in user's settings (never from the request body). */
  user?: { region?: string | undefined; services: string[] } | undefined;
  /** The signed-in person's taste, to reorder results that meet every constraint (decision 0056). */
  personal?: PersonalRanking | undefined;
}

/** How the query was read, and the answer: the API's contracts (`@media-gateway/domain/contracts`). */
export type Understood = SearchUnderstood;
export type { SearchResponse };
export type NearMatchResult = NearMatch;

export interface SearchServiceOptions {
  db: Db;
  /** Where the vector index and the local model are saved (`<dataDir>/search`); in memory when absent. */
  dataDir?: string | undefined;
  /** An embedder to use instead of the local models (tests); see also `embeddings`. */
  embedder?: Embedder | undefined;
  /**
   * An OpenAI-compatible `/v1/embeddings` endpoint (`MG_EMBEDDINGS_*`) to use instead of the local
   * models; asked for its dimensions at load when they are not given. Ignored when `embedder` is set.
   */
  embeddings?: OpenAiEmbedderOptions | undefined;
  /** Which local vectors (`MG_SEARCH_VECTORS`, decision 0057); default `DEFAULT_VECTORS`. */
  vectors?: VectorsKind | undefined;
  /** SIF options of the word vectors (eval:search's `--sif-pc`); the defaults otherwise. */
  wordOptions?: WordModelOptions | undefined;
  llm?: LlmParserOptions | undefined;
  fusion?: FusionMethod;
  logger?: Logger;
  /** How often (ms) a search checks catalog_events for changes; 0 = every search. */
  refreshEveryMs?: number;
  /**
   * Keep an in-memory copy of the full-text column for the lexical channel (decision 0055); default on.
   * Off (or while it loads): PostgreSQL answers the lexical channel.
   */
  lexicalInMemory?: boolean;
  /**
   * Load or train the vector index in the background (the gateway at start): the service is usable
   * as soon as the catalog snapshot is loaded, and searches are words-only, with a note, until the
   * index is ready. Default: wait for it (tests, eval, bench, the CLI in-process).
   */
  background?: boolean;
  /** The time source for decisions (offer end dates); the system clock by default. */
  clock?: Clock;
  /** Told how long each stage of a search took, in seconds (metrics); never changes a result. */
  observe?: StageObserver;
  /** Days before an offer shows as stale, by source kind (MG_STALE_AFTER_DAYS_*); 7 for all by default. */
  staleness?: StalenessPolicy;
  /**
   * A copy beside the service that owns the index (the search worker thread, decision 0124): loads the models and
   * index saved under `dataDir` but never saves or retrains them, so two copies never write the same files.
   */
  replica?: boolean;
  /** Told each time a vector index is swapped in (the first load, a retrained model): search workers reload. */
  onVectorsSwapped?: () => void;
}

export interface SearchService {
  search(
    req: SearchRequest,
    options?: {
      mode?: RetrievalMode;
      fusion?: FusionMethod;
      diversify?: boolean;
      weights?: Partial<ChannelWeights>;
      /** The time to judge offers by, when the caller's clock is not this service's (the worker thread). */
      now?: number;
    },
  ): Promise<SearchResponse>;
  suggest(
    q: string,
    limit?: number,
  ): Array<{ id: string; title: string; year: number | null; type: 'movie' | 'series' }>;
  /** Applies catalog changes to the in-memory catalog and the vector index now. */
  refresh(): Promise<number>;
  /** Applies catalog changes when the refresh interval has passed since the last check, as every search does first. */
  refreshIfDue(): Promise<void>;
  /**
   * Changes whenever the same request could be answered differently: catalog events applied to the catalog, the
   * vectors or the lexical index, or an index swapped in. A cached answer is as fresh as a new one while it holds.
   */
  readonly answerVersion: string;
  readonly catalog: TitleCatalog;
  /** Undefined while a background load is running (see `ready()`). */
  readonly embedder: Embedder | undefined;
  readonly vectors: VectorIndex | undefined;
  /** The in-memory full-text index; undefined while it loads (PostgreSQL answers meanwhile) or when off. */
  readonly lexical: LexicalIndex | undefined;
  /** Resolves when a background retraining (if any) has finished. */
  settled(): Promise<void>;
  /** Resolves when the vector index is loaded (at once unless `background`). */
  ready(): Promise<void>;
}

function cursorHash(req: SearchRequest): string {
  return createHash('sha1')
    .update(
      JSON.stringify([
        req.query,
        req.region,
        req.services,
        req.type,
        req.user?.region,
        req.user?.services,
        !!req.personal,
      ]),
    )
    .digest('hex')
    .slice(0, 10);
}

function decodeCursor(cursor: string, hash: string): number {
  try {
    const { o, h } = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { o: number; h: string };
    if (h === hash && Number.isInteger(o) && o >= 0 && o <= 1000) return o;
  } catch {
    /* fall through to the error below */
  }
  throw new DomainError('INVALID_INPUT', 'The cursor is not valid for this query; repeat the search without it.', {
    issues: [{ path: 'body.cursor', message: 'invalid or from another query' }],
  });
}

export async function createSearchService(options: SearchServiceOptions): Promise<SearchService> {
  const { db } = options;
  const logger = options.logger ?? noopLogger;
  const clock = options.clock ?? systemClock();
  const catalog = await TitleCatalog.load(db, options.staleness, clock);
  const dir = options.dataDir ? join(options.dataDir, 'search') : undefined;
  let embedder: Embedder | undefined;
  let vectors: VectorIndex | undefined;
  let lastCheck = Date.now();
  let retraining: Promise<void> | undefined;
  let loadFailed: string | undefined;
  let lexical: LexicalIndex | undefined;
  /** Counts index swaps (loaded, retrained) for `answerVersion`. */
  let swaps = 0;

  /** Titles that changed after `startSeq` (while a model was trained or an index loaded): embed them again. */
  async function catchUp(next: { embedder: Embedder; vectors: VectorIndex }, startSeq: number): Promise<void> {
    const late = (
      await db.query<{ title_id: string }>('SELECT DISTINCT title_id FROM catalog_events WHERE seq > $1', [startSeq])
    ).rows
      .map((r) => catalog.entries.get(r.title_id))
      .filter((e) => e !== undefined);
    next.vectors.upsert(
      late.map((e) => e.id),
      await next.embedder.embedDocuments(late.map(entryDoc)),
    );
    next.vectors.meta.lastSeq = Math.max(next.vectors.meta.lastSeq, catalog.lastSeq);
  }

  const loadStarted = Date.now();
  const startSeq = catalog.lastSeq;
  const given = options.embedder ?? (options.embeddings ? new OpenAiEmbedder(options.embeddings) : undefined);
  const local = { vectors: options.vectors, wordOptions: options.wordOptions };
  const loading = buildVectors({
    db,
    catalog,
    dir,
    embedder: given,
    logger,
    background: options.background,
    save: !options.replica,
    ...local,
  }).then(async (next) => {
    if (catalog.lastSeq > startSeq) await catchUp(next, startSeq);
    embedder = next.embedder;
    vectors = next.vectors;
    swaps++;
    logger.info({ ms: Date.now() - loadStarted, vectors: vectors.size }, 'search vector index ready');
    options.onVectorsSwapped?.();
  });
  // The in-memory lexical index: loaded beside the vectors, then caught up with what changed meanwhile.
  const lexicalLoading =
    options.lexicalInMemory === false
      ? Promise.resolve()
      : LexicalIndex.load(db)
          .then(async (next) => {
            await next.catchUp(db);
            lexical = next;
            swaps++;
            logger.info({ ms: Date.now() - loadStarted, titles: next.size }, 'search lexical index ready');
          })
          .catch((error) => {
            logger.warn({ err: error }, 'loading the in-memory lexical index failed: PostgreSQL full text answers');
          });
  if (options.background) {
    loading.catch((error) => {
      loadFailed = (error as Error).message;
      logger.error({ err: error }, 'loading the search vector index failed: searches stay words-only');
    });
  } else await Promise.all([loading, lexicalLoading]);

  /** Retrains the local model in the background and swaps it in; searches keep using the old one meanwhile. */
  function retrainIfOutgrown(): void {
    if (given || options.replica || retraining || !vectors || !needsRetraining(vectors.meta.trainedOn, catalog.size))
      return;
    const startSeq = catalog.lastSeq;
    retraining = buildVectors({
      db,
      catalog,
      dir,
      embedder: undefined,
      logger,
      retrain: true,
      background: true,
      ...local,
    })
      .then(async (next) => {
        // Titles that changed while training were applied to the old index only: embed them again.
        await catchUp(next, startSeq);
        embedder = next.embedder;
        vectors = next.vectors;
        swaps++;
        options.onVectorsSwapped?.();
      })
      .catch((error) => {
        logger.warn({ err: error }, 'retraining the local search model failed; keeping the old one');
      })
      .finally(() => {
        retraining = undefined;
      });
  }
  const refreshEvery = options.refreshEveryMs ?? 1000;

  async function refresh(): Promise<number> {
    lastCheck = Date.now();
    const changed = await catalog.refresh(db);
    // The lexical index follows the same events from its own position (it may have loaded in between).
    if (lexical && lexical.lastSeq < catalog.lastSeq) await lexical.catchUp(db);
    if (changed.length === 0) return 0;
    // While the index loads, the catalog snapshot moves on alone; the load catches up when it ends.
    if (!vectors || !embedder) return changed.length;
    const entries = changed.map((id) => catalog.entries.get(id)).filter((e) => e !== undefined);
    vectors.upsert(
      entries.map((e) => e.id),
      await embedder.embedDocuments(entries.map(entryDoc)),
    );
    vectors.meta.lastSeq = catalog.lastSeq;
    if (dir && !options.replica)
      await vectors.save(dir).catch((error) => logger.warn({ err: error }, 'could not save the vector index'));
    retrainIfOutgrown();
    return changed.length;
  }

  async function refreshIfDue(): Promise<void> {
    if (Date.now() - lastCheck >= refreshEvery) await refresh();
  }

  /** `type`: the request's type field, which wins over the query's (a short series is read with it). */
  async function understand(query: string, type?: 'movie' | 'series'): Promise<SearchIntent> {
    if (options.llm) {
      const viaLlm = await parseWithLlm(query, catalog, options.llm);
      if (viaLlm.intent) return viaLlm.intent;
      const rules = parseQuery(query, catalog, { type });
      rules.notes.push(`The language model parser was not used (${viaLlm.reason}); the rules read the query.`);
      return rules;
    }
    return parseQuery(query, catalog, { type });
  }

  /** Times a whole search (`total`), whatever way it ends. */
  function observed<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
    return async (...args) => {
      const started = performance.now();
      try {
        return await fn(...args);
      } finally {
        options.observe?.('total', (performance.now() - started) / 1000);
      }
    };
  }

  return {
    catalog,
    get embedder() {
      return embedder;
    },
    get vectors() {
      return vectors;
    },
    get lexical() {
      return lexical;
    },
    refreshIfDue,
    get answerVersion() {
      return `${catalog.lastSeq}:${vectors?.meta.lastSeq ?? '-'}:${lexical?.lastSeq ?? '-'}:${swaps}`;
    },
    settled: () => retraining ?? Promise.resolve(),
    ready: () => loading,
    refresh,
    suggest: (q, limit = 8) => catalog.suggest(q.slice(0, 100), limit),
    search: observed(async (req, opts = {}) => {
      // Invisible characters (zero-width spaces, direction marks) are no words: a query of only those is empty.
      const query = req.query.replace(/\p{Cf}/gu, '').trim();
      if (!query)
        throw new DomainError('INVALID_INPUT', 'The query is empty: say what you feel like watching.', {
          issues: [{ path: 'body.query', message: 'empty' }],
        });
      if (query.length > MAX_QUERY_LENGTH) {
        throw new DomainError(
          'INVALID_INPUT',
          `The query is ${query.length} characters; the limit is ${MAX_QUERY_LENGTH}.`,
          { issues: [{ path: 'body.query', message: `longer than ${MAX_QUERY_LENGTH} characters` }] },
        );
      }
      const region = (req.region ?? req.user?.region ?? DEFAULT_REGION).toUpperCase();
      if (!isRegion(region))
        throw new DomainError('INVALID_INPUT', `"${region}" is not a two-letter region code.`, {
          issues: [{ path: 'body.region', message: 'two-letter country code' }],
        });
      const unknown = (req.services ?? []).filter((s) => !getPlatform(s));
      if (unknown.length) {
        throw new DomainError(
          'INVALID_INPUT',
          `Unknown service(s): ${unknown.join(', ')}. Use platform ids from /api/platforms.`,
          { issues: [{ path: 'body.services', message: `unknown: ${unknown.join(', ')}` }] },
        );
      }
      await refreshIfDue();

      const parseStarted = performance.now();
      const intent = await understand(query, req.type);
      options.observe?.('parse', (performance.now() - parseStarted) / 1000);
      const services = new Set([...intent.services, ...(req.services ?? [])]);
      if (intent.myServices) {
        if (req.user?.services.length) for (const s of req.user.services) services.add(s);
        else
          intent.notUnderstood.push({
            text: 'my services',
            reason: req.user
              ? 'your settings list no services yet (PUT /api/me/settings)'
              : 'sign in (an agent needs the "recommendations" scope) to use "my services"; not filtered by service',
          });
      }
      if (req.type && intent.type && req.type !== intent.type)
        intent.notes.push(
          `The request asked for type "${req.type}", the query for "${intent.type}"; the request field wins.`,
        );
      if (req.type) intent.type = req.type;
      const c: Constraints = { intent, region, services: [...services], now: opts.now ?? clock.now() };
      const understood: Understood = { ...intent, region, services: [...services] };
      const limit = Math.min(Math.max(req.limit ?? 10, 1), 50);
      const hash = cursorHash(req);
      const offset = req.cursor ? decodeCursor(req.cursor, hash) : 0;
      if (intent.notes.some((n) => n.includes('nothing can match'))) return { understood, results: [] };
      if (catalog.size === 0) {
        // Not "nothing meets your constraints": there is nothing to search yet, and dropping words will not help.
        understood.notes.push(EMPTY_CATALOG_NOTE);
        return { understood, results: [] };
      }

      if (!vectors) {
        understood.notes.push(
          loadFailed
            ? `The meaning-based index could not be loaded (${loadFailed}); results match your words only.`
            : `The meaning-based index is still loading (${Math.round((Date.now() - loadStarted) / 1000)} s so far); ` +
                `results match your words only` +
                `${intent.like.length ? ', and "like" titles are used once it is ready' : ''}.`,
        );
      }
      const deps = { db, catalog, embedder, vectors, lexical };
      const channels = {
        mode: opts.mode ?? 'hybrid',
        fusion: opts.fusion ?? options.fusion ?? 'rrf',
        ...(opts.weights ? { weights: opts.weights } : {}),
      } as const;
      const depth = Math.min(offset + limit + 1, 1000);
      let ranked = await rank(deps, c, {
        ...channels,
        // Personal ranking reorders a fixed pool, so every page is cut from the same order.
        depth: req.personal ? Math.max(depth, PERSONAL_POOL) : depth,
        diversify: opts.diversify ?? true,
        ...(options.observe ? { observe: options.observe } : {}),
        ...(!intent.text && /^[\p{L}\p{N}'-]+$/u.test(query) ? { name: query } : {}),
      });
      let nearMatches: NearMatchResult[] | undefined;
      let notStreaming: NotStreaming | undefined;
      let notStreamingFromSample = false;
      /** Names the titles that meet it all but are not streaming here (in `notStreaming`); the note's sentence. */
      const nameNotStreaming = (more: boolean): string | undefined => {
        const n = notStreamingHere(catalog, c, NOT_STREAMING_SHOWN);
        if (!n.count) return undefined;
        notStreaming = notStreamingView(n, region);
        notStreamingFromSample = n.sample;
        return notStreamingNote(n, region, more);
      };
      /** The same for titles the words name ("interstellar"), which stream only elsewhere. */
      const nameNotStreamingByWords = (): string | undefined => {
        const n = notStreamingByWords(catalog, c, intent.text, NOT_STREAMING_SHOWN);
        if (!n.count) return undefined;
        notStreaming = notStreamingView(n, region);
        notStreamingFromSample = n.sample;
        return notStreamingByWordsNote(n, region);
      };
      // Near matches show offers in the region on any service: one may be exactly "not on your service".
      const nearPage = (near: Near[]): NearMatchResult[] => {
        const byId = new Map(near.map((n) => [n.id, n]));
        return loadPage(
          catalog,
          near,
          { ...c, services: [] },
          (r) => `near match: ${byId.get(r.id)!.misses.join('; ')}`,
        ).map((res) => ({ ...res, misses: byId.get(res.id)!.misses }));
      };
      // Every title would be "not leaving" or "not free": what is missing is the data, not a title.
      const unreported = ranked.length === 0 && offset === 0 ? unreportedData(catalog, c) : undefined;
      if (unreported) understood.notes.push(unreported);
      else if (ranked.length === 0 && offset === 0) {
        // Say why the list is empty, and offer the closest titles, each with what it misses.
        const parts = understood.spans.map((sp) => `"${sp.text}"`);
        const nearOptions = { ...channels, depth: limit, diversify: false, limit };
        let near = parts.length ? await findNearMatches(deps, c, nearOptions) : [];
        // The free words are part of what nothing met ("a documentary about food": no documentary matches "food").
        if (intent.text) parts.push(`the words "${intent.text}"`);
        // With no near match either, the titles that meet it all may exist but not be streaming here: name them.
        const elsewhere =
          parts.length && !near.length
            ? intent.text
              ? nameNotStreamingByWords()
              : nameNotStreaming(false)
            : undefined;
        // Words no title holds, beside only a service or a format ("zzzqqq on netflix"): that service's titles.
        if (!near.length && !elsewhere && understood.spans.length)
          near = await popularWithoutTheWords(deps, c, nearOptions);
        // A region no source has reported offers for cannot show anything as streaming: say that, not "remove one".
        const regionEmpty = !near.length && regionOffers(catalog, region).offers === 0;
        const after = near.length
          ? ' The closest titles below each say what they miss.'
          : elsewhere
            ? ` ${elsewhere}`
            : regionEmpty
              ? ` ${NO_SOURCE_REPORTED} what is streaming in ${region} yet.`
              : ' Try removing one of them.';
        understood.notes.push(
          understood.spans.length
            ? `Nothing in the catalog meets all of these together (${parts.join(', ')}) in ${region}.${after}`
            : (elsewhere ?? `No title in the catalog matches these words in ${region}.`),
        );
        if (near.length) nearMatches = nearPage(near);
      } else if (ranked.length < Math.min(FEW_RESULTS, depth) && offset === 0 && understood.spans.length) {
        // Only when the answer is known whole (shorter than the depth ranked): `limit: 1` ranks two titles of many.
        // A short answer is nearly a dead end: the closest other titles follow it, each with what it misses.
        const near = await findNearMatches(deps, c, {
          ...channels,
          depth: limit,
          diversify: false,
          limit,
          keepWords: true,
        });
        const only = ranked.length === 1 ? 'Only one title meets' : `Only ${ranked.length} titles meet`;
        if (near.length) {
          understood.notes.push(
            `${only} all of these in ${region}; the closest others follow, each with what it misses.`,
          );
          nearMatches = nearPage(near);
        } else if (!intent.text) {
          const elsewhere = nameNotStreaming(true);
          if (elsewhere) understood.notes.push(`${only} all of these in ${region}. ${elsewhere}`);
        }
      }
      // A title typed by its name ("the dark knight"), or a person's ("christopher nolan"), that streams only
      // elsewhere: say so above whatever else matched some of the words.
      // (Two map lookups first: most queries name neither, and need no more.)
      const named = intent.text && (catalog.exactTitle(intent.text) || catalog.titlesOf(intent.text, 'any').size > 0);
      if (!notStreaming && offset === 0 && ranked.length > 0 && named) {
        const n = notStreamingByWords(catalog, c, intent.text, NOT_STREAMING_SHOWN, true);
        const personMissing = n.personTitles.size > 0 && !ranked.some((r) => n.personTitles.has(r.id));
        if (n.count > 0 && (n.exact || personMissing)) {
          notStreaming = notStreamingView(n, region);
          notStreamingFromSample = n.sample;
          understood.notes.push(notStreamingByWordsNote(n, region));
        }
      }
      let lifted = new Set<string>();
      let forYou = false;
      if (req.personal && ranked.length > 1) {
        const personal = await personalize(ranked, req.personal);
        ranked = personal.ranked;
        lifted = personal.lifted;
        forYou = personal.applied;
        understood.notes.push(
          personal.applied
            ? 'Ranked for you: titles that fit your history come first among those that meet every constraint.'
            : 'Not ranked for you yet: your history is empty (rate, like or finish a few titles).',
        );
      }
      const page = ranked.slice(offset, offset + limit);
      const results = loadPage(catalog, page, c, (r) => {
        const why = explain(r, c, catalog, forYou);
        return lifted.has(r.id) ? `${why.slice(0, -1)}; ranked higher for you (your history).` : why;
      });
      const more = ranked.length > offset + limit;
      // A "not streaming here" dated by a sample offer is sample data too.
      // An empty answer is as true as the region's offers: when the sample gave all of them, it is sample data.
      const inRegion = results.length === 0 && !nearMatches?.length ? regionOffers(catalog, region) : undefined;
      const hasSample =
        [...results, ...(nearMatches ?? [])].some((r) => r.offers.some((o) => o.sample)) ||
        notStreamingFromSample ||
        (inRegion !== undefined && inRegion.offers > 0 && inRegion.sampleOffers === inRegion.offers);
      return {
        understood,
        results,
        ...(nearMatches ? { nearMatches } : {}),
        ...(notStreaming ? { notStreaming } : {}),
        ...(hasSample ? { sampleData: { ...SAMPLE_DATA } } : {}),
        ...(more
          ? { nextCursor: Buffer.from(JSON.stringify({ o: offset + limit, h: hash })).toString('base64url') }
          : {}),
      };
    }),
  };
}

/**
 * For a query that asks about what only live sources report (end dates for "leaving", free offers for "free"): the
 * note saying no source reported it in the region, when none did; undefined otherwise.
 */
function unreportedData(catalog: TitleCatalog, c: Constraints): string | undefined {
  const { leavingWithinDays, freeOnly } = c.intent;
  const anywhere = { ...c, services: [] };
  const reported = (test: (e: CatalogEntry) => unknown) => {
    for (const e of catalog.entries.values()) if (test(e)) return true;
    return false;
  };
  const endDate = (e: CatalogEntry) =>
    e.hasEndDates && e.offerList.some((o) => o.region === c.region && o.until !== null && o.until > c.now);
  if (leavingWithinDays !== undefined && !reported(endDate))
    return (
      `${NO_SOURCE_REPORTED} when titles leave ${c.region} yet (end dates come from live sources: ` +
      'Streaming Availability, JustWatch), so none can be shown as leaving.'
    );
  if (freeOnly && !reported(freeOn(anywhere)))
    return (
      `${NO_SOURCE_REPORTED} a free or ad-supported offer in ${c.region} yet (they come from live sources: ` +
      'JustWatch, Watchmode), so none can be shown as free.'
    );
  return undefined;
}
