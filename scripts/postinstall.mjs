#!/usr/bin/env node
// Root postinstall: build the web app (decision 0100), prebuild the embedded database template
// (decision 0005) and compile the CLI when its bundle is missing or older than its sources (decision
// 0012), so `npm ci && npm start` needs no other step and starts quickly. None of them fails the install:
// without the bundle the CLI runs from its sources.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
spawnSync(process.execPath, [join(root, 'apps/web/scripts/build-web.mjs')], { cwd: root, stdio: 'inherit' });
try {
  const require = createRequire(join(root, 'package.json'));
  const tsxCli = join(dirname(require.resolve('tsx/package.json')), 'dist', 'cli.mjs');
  spawnSync(process.execPath, [tsxCli, join(root, 'scripts/build-pglite-template.ts')], {
    cwd: root,
    stdio: 'inherit',
  });
} catch {
  console.error('[db] tsx is not installed; skipped the embedded database template.');
}
spawnSync(process.execPath, [join(root, 'apps/cli/scripts/build-cli.mjs'), '--if-stale'], {
  cwd: root,
  stdio: 'inherit',
});
