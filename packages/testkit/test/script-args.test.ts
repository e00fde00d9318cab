import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { usageOf } from '../src/script-args.ts';

const root = new URL('../../../', import.meta.url).pathname;
const scriptDirs = [
  'packages/catalog',
  'packages/recommend',
  'packages/search',
  'packages/sync',
  'apps/gateway',
].flatMap((pkg) => ['eval', 'bench', 'fuzz'].map((d) => join(pkg, d)));

function scripts(): string[] {
  return scriptDirs.flatMap((dir) => {
    try {
      return readdirSync(join(root, dir))
        .filter((f) => f.endsWith('.ts'))
        .map((f) => join(dir, f));
    } catch {
      return [];
    }
  });
}

const runScript = (file: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, file), ...args], { cwd: root, encoding: 'utf8' });

describe('evaluation and benchmark scripts: usage and bad options', () => {
  it('every script that reads options says how to run it in its header comment', async () => {
    const { readFileSync } = await import('node:fs');
    const withOptions = scripts().filter((f) => readFileSync(join(root, f), 'utf8').includes('scriptArgs('));
    assert.ok(withOptions.length >= 20, `found only ${withOptions.length} scripts`);
    for (const file of withOptions) {
      const usage = usageOf(pathToFileURL(join(root, file)).href) ?? '';
      assert.match(usage, /(npm run|tsx|node) \S+/, `${file} has no usage line in its header comment`);
    }
  });

  it('--help prints the usage and exits 0; an unknown option is one line and exit 2, not a stack trace', () => {
    const help = runScript('packages/recommend/eval/recs-eval.ts', '--help');
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /npm run eval:recs -- --datasets <dir>/);
    const bad = runScript('packages/recommend/eval/recs-eval.ts', '--bogus');
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr.trim(), "recs-eval.ts: Unknown option '--bogus' (--help for usage)");
  });
});
