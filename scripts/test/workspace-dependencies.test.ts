import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

const root = new URL('../..', import.meta.url).pathname;

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function files(dir: string, out: string[] = []): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files(path, out);
    else if (/\.(ts|tsx|mjs)$/.test(name)) out.push(path);
  }
  return out;
}

/** Workspace packages a set of files imports (by package name, subpaths folded). */
function workspaceImports(paths: string[]): Set<string> {
  const found = new Set<string>();
  for (const path of paths) {
    for (const m of readFileSync(path, 'utf8').matchAll(/from '(@media-gateway\/[a-z-]+)(\/[^']*)?'/g))
      found.add(m[1]!);
    for (const m of readFileSync(path, 'utf8').matchAll(/import\('(@media-gateway\/[a-z-]+)(\/[^']*)?'\)/g))
      found.add(m[1]!);
  }
  return found;
}

const workspaces = ['packages', 'apps'].flatMap((group) =>
  readdirSync(join(root, group)).map((name) => join(root, group, name)),
);

describe('workspace dependencies are declared exactly where they are used (issue 13)', () => {
  for (const dir of workspaces) {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    test(
      `${manifest.name}: runtime imports are dependencies; ` +
        `test/bench imports are declared; nothing declared unused`,
      () => {
        const runtime = workspaceImports(files(join(dir, 'src')));
        const tooling = workspaceImports(
          ['test', 'bench', 'eval', 'fuzz', 'scripts', 'testing'].flatMap((d) => files(join(dir, d))),
        );
        runtime.delete(manifest.name);
        tooling.delete(manifest.name);
        const deps = new Set(Object.keys(manifest.dependencies ?? {}).filter((d) => d.startsWith('@media-gateway/')));
        const dev = new Set(Object.keys(manifest.devDependencies ?? {}).filter((d) => d.startsWith('@media-gateway/')));
        const web = manifest.name === '@media-gateway/web';
        for (const used of runtime) {
          // The web app imports server packages' types only (erased in the bundle): dev dependencies are enough.
          assert.ok(
            deps.has(used) || (web && dev.has(used)),
            `${manifest.name} imports ${used} in src/ but does not list it in dependencies`,
          );
        }
        for (const used of tooling)
          assert.ok(
            deps.has(used) || dev.has(used),
            `${manifest.name} uses ${used} in tests/benches without declaring it`,
          );
        for (const declared of deps)
          assert.ok(
            runtime.has(declared),
            `${manifest.name} lists ${declared} in dependencies but src/ never imports it`,
          );
      },
    );
  }
});

describe('only apps read the environment (issue 13)', () => {
  test('no package source file reads process.env (tests, benches and the test kit may)', () => {
    const offenders = workspaces
      .filter((dir) => dir.includes('/packages/') && !dir.endsWith('/testkit'))
      .flatMap((dir) => files(join(dir, 'src')))
      .filter((path) => /process\.env\b/.test(readFileSync(path, 'utf8').replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '')));
    assert.deepEqual(
      offenders.map((p) => p.slice(root.length)),
      [],
    );
  });
});
