/**
 * The thread `trainInWorker` starts: trains the local models on the documents it is given and posts them back,
 * their large arrays transferred rather than copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TitleDoc } from './embedder.ts';
import { LsaModel } from './lsa-model.ts';
import type { TrainRequest } from './train-in-worker.ts';
import { readCatalogWordVectors, WordVectorEmbedder } from './word-vectors.ts';

const { docs, what } = workerData as { docs: TitleDoc[]; what: TrainRequest };
const port = parentPort!;
try {
  const out: Record<string, unknown> = {};
  const transfer: ArrayBuffer[] = [];
  if (what.lsa) {
    const m = LsaModel.train(docs);
    out['lsa'] = { vocab: m.vocab, idf: m.idf, terms: m.terms, dimensions: m.dimensions };
    transfer.push(m.idf.buffer as ArrayBuffer, m.terms.buffer as ArrayBuffer);
  }
  if (what.words) {
    const m = WordVectorEmbedder.fit(readCatalogWordVectors(docs), docs, what.wordOptions);
    out['words'] = { table: m.table, weights: m.weights, pc: m.pc };
    transfer.push(m.table.vectors.buffer as ArrayBuffer, m.weights.buffer as ArrayBuffer);
  }
  port.postMessage(out, transfer);
} catch (error) {
  port.postMessage({ error: String((error instanceof Error && error.stack) || error) });
}
