#!/usr/bin/env node
// Runs every *.test.ts under packages/ and apps/ with node:test through tsx.
// Node 20's --test does not find .ts files by itself, so the list is built here.
// --test-force-exit: a file whose tests finished but left a handle open must not hang CI;
// --test-timeout: no single test may run longer than 10 minutes.
// With CI=true it first checks that every backend, binary and dataset the suites need is there
// (scripts/test-preflight.mjs) and stops with the list when not: CI never skips silently.
// `--preflight` runs only that check.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ciPreflight } from './test-preflight.mjs';

const root = new URL('..', import.meta.url).pathname;
const skipDirs = new Set(['node_modules', 'data', 'dist', 'test-artifacts', '.git']);
const args = process.argv.slice(2);
const preflightOnly = args.includes('--preflight');
const filter = args.filter((a) => a !== '--preflight');

const problems = ciPreflight();
if (problems.length > 0) {
  console.error(`CI=true, but this run cannot test everything:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
if (preflightOnly) {
  console.log('preflight: ready');
  process.exit(0);
}

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (skipDirs.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

let files = [
  ...walk(join(root, 'packages'), []),
  ...walk(join(root, 'apps'), []),
  ...walk(join(root, 'scripts'), []),
].sort();
if (filter.length) files = files.filter((f) => filter.some((part) => f.includes(part)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    '--test-force-exit',
    '--test-timeout=600000',
    '--test-reporter=spec',
    ...files,
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(result.status ?? 1);
