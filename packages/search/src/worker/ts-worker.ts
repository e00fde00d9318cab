import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Registers tsx in the worker, so it runs our TypeScript sources whether the server was started by the tsx CLI, by
 * `register()` or from the CLI's bundle (whose `import.meta.url` still names the source file), then imports the
 * entry module. usearch's ES module finds its native build from its caller's file name (the `bindings` package reads
 * it off a stack trace), which in a worker thread started from source text never resolves: its search for the
 * package root loops forever. Given a `__dirname` (which it tries first) for that one import, it loads at once;
 * later imports of `usearch` get the same module.
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
(async () => {
  const boot = workerData.boot;
  const { register } = await import(boot.tsxApi);
  register();
  if (boot.usearch) {
    globalThis.__dirname = boot.usearchDir;
    await import(boot.usearch);
    delete globalThis.__dirname;
  }
  await import(boot.entry);
})();
`;

/**
 * A worker thread running one of our TypeScript modules (`entry`), which reads `data` from `workerData`. It starts
 * without the parent's flags: a tsx loader inherited from `tsx <script>` and registered again hangs the first import.
 * `usearch: true` preloads usearch the one way that works in such a worker (see BOOTSTRAP).
 */
export function startTsWorker(entry: URL, data: object, options: { usearch?: boolean } = {}): Worker {
  const usearch = options.usearch ? import.meta.resolve('usearch') : undefined;
  return new Worker(BOOTSTRAP, {
    eval: true,
    execArgv: [],
    workerData: {
      ...data,
      boot: {
        tsxApi: import.meta.resolve('tsx/esm/api'),
        entry: entry.href,
        usearch,
        usearchDir: usearch ? dirname(fileURLToPath(usearch)) : undefined,
      },
    },
  });
}
