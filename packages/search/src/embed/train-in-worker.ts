import { startTsWorker } from '../worker/ts-worker.ts';
import type { TitleDoc } from './embedder.ts';
import { LsaModel } from './lsa-model.ts';
import { readCatalogWordVectors, type WordModelOptions, WordVectorEmbedder } from './word-vectors.ts';

/** The catalog-fitted local models a search service needs: LSA, the word vectors' SIF model, or both. */
export interface LocalModels {
  lsa?: LsaModel | undefined;
  words?: WordVectorEmbedder | undefined;
}

export interface TrainRequest {
  lsa: boolean;
  words: boolean;
  wordOptions?: WordModelOptions | undefined;
}

/**
 * Trains on this thread (tests, eval, the CLI in-process): LSA's SVD and reading the word vectors block it
 * for seconds.
 */
export function trainLocal(docs: TitleDoc[], what: TrainRequest): LocalModels {
  return {
    lsa: what.lsa ? LsaModel.train(docs) : undefined,
    words: what.words ? WordVectorEmbedder.fit(readCatalogWordVectors(docs), docs, what.wordOptions) : undefined,
  };
}

/**
 * Trains the local models on a worker thread (`train-worker-thread.ts`), so a server answering searches while it
 * trains (LSA 20–40 s at 30k titles; reading the 307 MB word-vector file 3–5 s) keeps its event loop free. The
 * word-vector file is read there, so its parse buffers never reach the server's heap; only the rows the catalog
 * needs come back (~44 MB).
 */
interface WorkerAnswer {
  error?: string;
  lsa?: { vocab: string[]; idf: Float32Array; terms: Float32Array; dimensions: number };
  words?: { table: WordVectorEmbedder['table']; weights: Float32Array; pc: Float32Array | undefined };
}

export function trainInWorker(
  docs: TitleDoc[],
  what: TrainRequest = { lsa: true, words: false },
): Promise<LocalModels> {
  return new Promise((resolve, reject) => {
    const worker = startTsWorker(new URL('./train-worker-thread.ts', import.meta.url), { docs, what });
    worker.once('message', (m: WorkerAnswer) => {
      void worker.terminate();
      if (m.error) {
        reject(new Error(`training the local search model failed: ${m.error}`));
        return;
      }
      resolve({
        lsa: m.lsa ? new LsaModel(m.lsa.vocab, m.lsa.idf, m.lsa.terms, m.lsa.dimensions) : undefined,
        words: m.words ? new WordVectorEmbedder(m.words.table, m.words.weights, m.words.pc) : undefined,
      });
    });
    worker.once('error', reject);
    // A server closing mid-training should not be kept alive by it.
    worker.unref();
  });
}
