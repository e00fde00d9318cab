import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';

const root = new URL('../..', import.meta.url).pathname;
const biome = `${root}node_modules/.bin/biome`;

/**
 * Lints `source` as a file at `dir` (Biome applies its per-folder overrides by path). The probe file
 * lives in the tree for the moment of the check, under a name no import or test run picks up.
 */
function lint(path: string, source: string): { ok: boolean; out: string } {
  const file = join(root, dirname(path), `__boundary-probe-${process.pid}.ts`);
  writeFileSync(file, source);
  try {
    const r = spawnSync(biome, ['lint', '--colors=off', file], { cwd: root, encoding: 'utf8' });
    return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(file, { force: true });
  }
}

describe('import boundaries are enforced by the linter (biome.json overrides)', () => {
  test('a package importing an app fails the lint', () => {
    const r = lint(
      'packages/catalog/src/x.ts',
      "import { loadConfig } from '@media-gateway/gateway';\nexport const x = loadConfig;\n",
    );
    assert.ok(!r.ok);
    assert.match(r.out, /Packages never import apps/);
  });

  test('domain imports no Node.js built-in; other packages may', () => {
    const src = "import { createHash } from 'node:crypto';\nexport const h = createHash;\n";
    assert.match(lint('packages/domain/src/x.ts', src).out, /domain is pure/);
    const subpath = "import { readFile } from 'node:fs/promises';\nexport const r = readFile;\n";
    assert.match(lint('packages/domain/src/x.ts', subpath).out, /domain is pure/);
    assert.ok(lint('packages/catalog/src/x.ts', src).ok);
  });

  test('the web app imports the sync client and domain, never a server package', () => {
    assert.ok(!lint('apps/web/src/x.ts', "import type { Db } from '@media-gateway/db';\nexport type D = Db;\n").ok);
    assert.ok(
      lint(
        'apps/web/src/x.ts',
        "import type { SyncClient } from '@media-gateway/sync/client';\nexport type S = SyncClient;\n",
      ).ok,
    );
  });

  test('apps may import packages', () => {
    assert.ok(
      lint(
        'apps/gateway/src/x.ts',
        "import { loadConfig } from '@media-gateway/catalog';\nexport const x = loadConfig;\n",
      ).ok,
    );
  });
});
