#!/usr/bin/env node
// Builds the web app into apps/web/dist. Run by the root `postinstall`, so `npm ci && npm start`
// serves the app with no manual step (decision 0100). A failed build must not fail the install:
// the API still works, and the gateway's / page says how to build the app. `--strict` fails instead.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const strict = process.argv.includes('--strict');
const started = Date.now();

function give(message) {
  console.error(`[web] ${message}`);
  process.exit(strict ? 1 : 0);
}

let viteBin;
try {
  const require = createRequire(join(webDir, 'package.json'));
  viteBin = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
} catch {
  give('vite is not installed, so the web app was not built. Run "npm install" and then "npm run build:web".');
}
if (!existsSync(viteBin)) give(`vite's launcher is missing (${viteBin}); the web app was not built.`);

// NODE_ENV=production always: under `npm test` it is "test", and Vite would then bundle React's
// development build (about 140 kB gzipped instead of 80).
const result = spawnSync(process.execPath, [viteBin, 'build', '--logLevel', 'warn'], {
  cwd: webDir,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'production' },
});
if (result.status !== 0)
  give('the web app build failed (see above). The API still works; fix the error and run "npm run build:web".');
console.error(`[web] built apps/web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`);
