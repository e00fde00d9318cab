// Is the compiled CLI (apps/cli/dist, decision 0012) up to date with the sources it was built from?
// Plain JavaScript: it runs before tsx is loaded. It reads dist/bundle-meta.json (the sources esbuild
// read) and compares each one's modification time with the bundle's: one newer, or missing, and the
// CLI runs from its TypeScript sources instead. Times are only compared with each other (never with
// the clock), so a moved clock (faketime) does not change the answer. A few hundred stat calls: ~2 ms.
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const META_FILE = 'bundle-meta.json';
export const ENTRY_FILE = 'media-gateway.mjs';

/**
 * `MEDIA_GATEWAY_CLI=sources` always runs the sources; `=bundle` runs the bundle even when stale (it
 * must exist). `MEDIA_GATEWAY_CLI_DIST=<dir>` looks for the bundle there instead of apps/cli/dist
 * (a bundle built with build-cli.mjs --outdir). Returns the bundle to run, or why the sources run.
 * @param {string} cliDir the apps/cli directory
 * @param {Record<string, string | undefined>} env
 * @returns {{ kind: 'bundle', entry: string } | { kind: 'sources', reason: string }}
 */
export function bundleState(cliDir, env) {
  const distDir = resolve(env.MEDIA_GATEWAY_CLI_DIST || join(cliDir, 'dist'));
  const mode = env.MEDIA_GATEWAY_CLI;
  if (mode === 'sources') return { kind: 'sources', reason: 'MEDIA_GATEWAY_CLI=sources' };
  const entry = join(distDir, ENTRY_FILE);
  let builtAt;
  let meta;
  try {
    builtAt = statSync(entry).mtimeMs;
    meta = JSON.parse(readFileSync(join(distDir, META_FILE), 'utf8'));
  } catch {
    return { kind: 'sources', reason: `no compiled CLI in ${distDir} (npm run build:cli)` };
  }
  if (mode === 'bundle') return { kind: 'bundle', entry };
  const root = resolve(distDir, meta.root);
  for (const input of meta.inputs) {
    const stat = statSync(join(root, input), { throwIfNoEntry: false });
    if (!stat) return { kind: 'sources', reason: `${input} is gone since the CLI was compiled` };
    if (stat.mtimeMs > builtAt) return { kind: 'sources', reason: `${input} changed since the CLI was compiled` };
  }
  return { kind: 'bundle', entry };
}
