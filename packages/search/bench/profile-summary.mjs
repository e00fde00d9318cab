// Summarises a V8 .cpuprofile (from `search-profile.ts --profile` or `http-probe.ts --profile`): the top
// functions by self time and by inclusive time (a function's own samples plus its callees', counted once
// per stack even when it recurses), as a share of all samples.
// tsx runs TypeScript as whitespace-minified JavaScript, so the profile's line numbers say little; when the
// source maps tsx keeps in its cache (os.tmpdir()/tsx-<uid>) are there, lines are given in the .ts source.
// Usage: node packages/search/bench/profile-summary.mjs <file.cpuprofile> [top=25]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [file, topArg = '25'] = process.argv.slice(2);
const top = Number(topArg);
const profile = JSON.parse(readFileSync(file, 'utf8'));

/**
 * Source maps of tsx's cached transforms, by source path (empty when the cache is elsewhere or gone). A file
 * edited since has several: the newest is taken, which is the one that ran unless it was edited after.
 */
function tsxSourceMaps() {
  const maps = new Map();
  const written = new Map();
  const dir = join(tmpdir(), `tsx-${process.getuid?.() ?? 0}`);
  let names = [];
  try {
    names = readdirSync(dir);
  } catch {
    return maps;
  }
  for (const name of names) {
    try {
      const { map } = JSON.parse(readFileSync(join(dir, name), 'utf8'));
      const at = statSync(join(dir, name)).mtimeMs;
      if (map?.sources?.length !== 1 || (written.get(map.sources[0]) ?? -1) > at) continue;
      maps.set(map.sources[0], map.mappings);
      written.set(map.sources[0], at);
    } catch {
      // Not a cached transform.
    }
  }
  return maps;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Source map v3 `mappings` → per generated line, [generated column, source line] pairs in column order. */
function decodeMappings(mappings) {
  const lines = [];
  let srcLine = 0;
  for (const line of mappings.split(';')) {
    const segments = [];
    let col = 0;
    for (const segment of line.split(',')) {
      if (!segment) continue;
      const values = [];
      let value = 0;
      let shift = 0;
      for (const ch of segment) {
        const digit = B64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      col += values[0];
      if (values.length >= 4) {
        srcLine += values[2];
        segments.push([col, srcLine]);
      }
    }
    lines.push(segments);
  }
  return lines;
}

const maps = tsxSourceMaps();
const decoded = new Map();
/** The 1-based source line of a generated position, when a source map covers it. */
function sourceLine(url, line, column) {
  const path = url.replace(/^file:\/\//, '');
  if (line < 0 || !maps.has(path)) return undefined;
  if (!decoded.has(path)) decoded.set(path, decodeMappings(maps.get(path)));
  let found;
  for (const [col, src] of decoded.get(path)[line] ?? []) {
    if (col > column) break;
    found = src + 1;
  }
  return found;
}

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

/** One name per function: name, file (last two path parts) and line. */
function label(n) {
  const f = n.callFrame;
  const url = f.url ? f.url.split('/').slice(-2).join('/') : '';
  const line = sourceLine(f.url, f.lineNumber, f.columnNumber) ?? f.lineNumber + 1;
  return `${f.functionName || '(anonymous)'} ${url}${url ? `:${line}` : ''}`;
}

// Samples per node, from the sample list (the profile's own hitCount is not always filled in).
const hits = new Map();
for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
const total = profile.samples.length;
const ms = (profile.endTime - profile.startTime) / 1000;

const self = new Map();
const inclusive = new Map();
for (const [id, count] of hits) {
  const leaf = label(byId.get(id));
  self.set(leaf, (self.get(leaf) ?? 0) + count);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const name = label(byId.get(cur));
    if (seen.has(name)) continue;
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + count);
  }
}

function print(title, map) {
  console.log(`\n${title} (${total} samples over ${Math.round(ms)} ms)`);
  const rows = [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [name, count] of rows) {
    const share = `${((100 * count) / total).toFixed(1)}%`.padStart(7);
    console.log(`${share}  ${((ms * count) / total).toFixed(0).padStart(7)} ms  ${name}`);
  }
}
print('self', self);
print('inclusive', inclusive);
