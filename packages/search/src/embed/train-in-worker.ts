import { Worker } from 'node:worker_threads';
import type { TitleDoc } from './embedder.ts';
import { LsaModel } from './lsa-model.ts';

/**
 * Trains the local model on a worker thread, so a server answering searches while it trains
 * (20–40 s at 30k titles) keeps its event loop free. The worker registers tsx itself: it runs our
 * TypeScript sources whether the parent was started by the tsx CLI or by `register()`.
 */
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
(async () => {
  const { register } = await import(workerData.tsxApi);
  register();
  const { LsaModel } = await import(workerData.lsaModule);
  const m = LsaModel.train(workerData.docs);
  parentPort.postMessage({ vocab: m.vocab, idf: m.idf, terms: m.terms, dimensions: m.dimensions }, [m.idf.buffer, m.terms.buffer]);
})().catch((error) => { parentPort.postMessage({ error: String(error && error.stack || error) }); });
`;

export function trainInWorker(docs: TitleDoc[]): Promise<LsaModel> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        docs,
        tsxApi: import.meta.resolve('tsx/esm/api'),
        lsaModule: new URL('./lsa-model.ts', import.meta.url).href,
      },
    });
    worker.once(
      'message',
      (m: { error?: string; vocab: string[]; idf: Float32Array; terms: Float32Array; dimensions: number }) => {
        void worker.terminate();
        if (m.error) reject(new Error(`training the local search model failed: ${m.error}`));
        else resolve(new LsaModel(m.vocab, m.idf, m.terms, m.dimensions));
      },
    );
    worker.once('error', reject);
    // A server closing mid-training should not be kept alive by it.
    worker.unref();
  });
}
