import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Queryable } from '@media-gateway/db';
import type { Logger } from '@media-gateway/domain';
import type { Embedder } from '../embed/embedder.ts';
import { ConcatEmbedder, DEFAULT_VECTORS, type VectorsKind } from '../embed/local-embedder.ts';
import { LsaModel } from '../embed/lsa-model.ts';
import { type LocalModels, trainInWorker, trainLocal } from '../embed/train-in-worker.ts';
import { DEFAULT_REMOVE_PC, type WordModelOptions, WordVectorEmbedder } from '../embed/word-vectors.ts';
import { entryDoc } from '../retrieve/rank.ts';
import type { TitleCatalog } from './title-catalog.ts';
import { VectorIndex } from './vector-index.ts';

const BATCH = 2000;

/** Lets pending I/O (HTTP requests) run between batches: awaiting a resolved promise alone does not. */
const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The local model's vocabulary is fixed when it is trained, so a catalog that has more than doubled
 * since (e.g. the 95-title sample, then the real catalogs) gets a new model.
 */
export function needsRetraining(trainedOn: number | undefined, titles: number): boolean {
  return trainedOn !== undefined && titles > 2 * trainedOn + 100;
}

const MODEL_FILES = { lsa: 'lsa-model.bin', words: 'word-model.bin' } as const;

/** The embedder over the local models the kind needs. */
export function localEmbedder(kind: VectorsKind, models: LocalModels): Embedder {
  if (kind === 'lsa') return models.lsa!;
  if (kind === 'words') return models.words!;
  return new ConcatEmbedder(models.lsa!, models.words!);
}

/** Loads the saved local models the kind needs; undefined when one is missing (it is trained again). */
async function loadLocal(dir: string, kind: VectorsKind): Promise<LocalModels | undefined> {
  const need = { lsa: kind !== 'words', words: kind !== 'lsa' };
  if (
    (need.lsa && !existsSync(join(dir, MODEL_FILES.lsa))) ||
    (need.words && !existsSync(join(dir, MODEL_FILES.words)))
  )
    return undefined;
  return {
    lsa: need.lsa ? await LsaModel.load(join(dir, MODEL_FILES.lsa)) : undefined,
    words: need.words ? await WordVectorEmbedder.load(join(dir, MODEL_FILES.words)) : undefined,
  };
}

/**
 * Opens (or builds) the embedder and the vector index. With a directory: reuse the saved local
 * model(s) and index, then embed only the titles changed since the index's last catalog event.
 * Without one (tests, --no-data-dir): train and build in memory.
 */
export async function buildVectors(args: {
  db: Queryable;
  catalog: TitleCatalog;
  dir: string | undefined;
  embedder: Embedder | undefined;
  logger: Logger;
  retrain?: boolean;
  background?: boolean;
  /** Which local vectors when no embedder is given (default `DEFAULT_VECTORS`). */
  vectors?: VectorsKind | undefined;
  /** SIF options of the word vectors (eval). */
  wordOptions?: WordModelOptions | undefined;
  /** False: read what `dir` holds, but write nothing there (a replica). Default true. */
  save?: boolean;
}): Promise<{ embedder: Embedder; vectors: VectorIndex }> {
  const { catalog, dir, logger } = args;
  const kind = args.vectors ?? DEFAULT_VECTORS;
  let embedder = args.embedder;
  await embedder?.prepare?.();
  if (!embedder && !args.retrain && dir) {
    const saved = await loadLocal(dir, kind);
    // The SIF variant is part of the word model: one saved with the other variant is fitted again.
    const removePc = args.wordOptions?.removePc ?? DEFAULT_REMOVE_PC;
    if (saved && (!saved.words || (saved.words.pc !== undefined) === removePc)) {
      embedder = localEmbedder(kind, saved);
      const index = await VectorIndex.load(dir, embedder.name, embedder.dimensions);
      if (index && needsRetraining(index.meta.trainedOn, catalog.size)) {
        logger.info(
          { trainedOn: index.meta.trainedOn, titles: catalog.size },
          'catalog outgrew the local search model: retraining',
        );
        embedder = undefined;
      }
    }
  }
  const entries = [...catalog.entries.values()];
  let trainedNow = false;
  if (!embedder) {
    trainedNow = true;
    const started = Date.now();
    const docs = entries.map(entryDoc);
    const what = { lsa: kind !== 'words', words: kind !== 'lsa', wordOptions: args.wordOptions };
    const models = args.background ? await trainInWorker(docs, what) : trainLocal(docs, what);
    embedder = localEmbedder(kind, models);
    logger.info(
      { titles: entries.length, ms: Date.now() - started, vectors: kind },
      'trained the local search embedding model',
    );
    if (dir && args.save !== false) {
      await mkdir(dir, { recursive: true });
      if (models.lsa) await models.lsa.save(join(dir, MODEL_FILES.lsa));
      if (models.words) await models.words.save(join(dir, MODEL_FILES.words));
    }
  }
  let vectors = dir && !trainedNow ? await VectorIndex.load(dir, embedder.name, embedder.dimensions) : undefined;
  let todo = entries;
  if (vectors) {
    const changed = await args.db.query<{ title_id: string }>(
      'SELECT DISTINCT title_id FROM catalog_events WHERE seq > $1',
      [vectors.meta.lastSeq],
    );
    const ids = new Set(changed.rows.map((r) => r.title_id));
    todo = entries.filter((e) => ids.has(e.id));
    // Embedding is cheap (~1 s for 30k titles); the HNSW graph is what loading saves.
    const known = entries.filter((e) => !ids.has(e.id));
    for (let i = 0; i < known.length; i += BATCH) {
      const batch = known.slice(i, i + BATCH);
      vectors.remember(
        batch.map((e) => e.id),
        await embedder.embedDocuments(batch.map(entryDoc)),
      );
      if (args.background) await yieldToRequests();
    }
  } else {
    vectors = new VectorIndex(embedder.dimensions, embedder.name);
    if (trainedNow) vectors.meta.trainedOn = entries.length;
  }
  for (let i = 0; i < todo.length; i += BATCH) {
    const batch = todo.slice(i, i + BATCH);
    vectors.upsert(
      batch.map((e) => e.id),
      await embedder.embedDocuments(batch.map(entryDoc)),
    );
    if (args.background) await yieldToRequests();
  }
  vectors.meta.lastSeq = catalog.lastSeq;
  if (dir && todo.length && args.save !== false) await vectors.save(dir);
  return { embedder, vectors };
}
