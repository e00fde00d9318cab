#!/usr/bin/env node
// Runs the compiled CLI (apps/cli/dist, built at install: decision 0012) while it is up to date with
// the sources; otherwise the TypeScript sources directly, through tsx (decision 0004), so an edit is
// never run stale. MEDIA_GATEWAY_CLI=sources forces the sources.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleState } from './bundle-check.js';

const state = bundleState(fileURLToPath(new URL('..', import.meta.url)), process.env);
if (state.kind === 'bundle') {
  await import(pathToFileURL(state.entry).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
