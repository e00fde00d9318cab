/**
 * Entity-resolution evaluation (issue 2): `npm run eval:er -- --datasets <dir> [--json] [--errors N]`.
 *
 * Ground truth: JustWatch records on different platforms sharing an `imdb_id`, and MovieLens
 * movies linked to those ids by `links.csv`. The resolver never sees IMDb ids. Pairs are judged
 * only when both records have an IMDb id. Prints one JSON object as the last stdout line.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { scriptArgs } from '@media-gateway/testkit/script-args';
import type { SourceRecord } from '@media-gateway/domain';
import { readJustWatch } from './justwatch-records.ts';
import { readMovieLens, type TruthRecord } from './movielens-records.ts';
import { type PairScore, round, scoreCrossPairs, scorePairs, unjudgeableCrossPairs } from './pair-metrics.ts';
import { baselineClusters, resolveInMemory } from './resolve-in-memory.ts';
import { describeErrors } from './error-report.ts';

function fail(message: string): never {
  process.stderr.write(`eval:er: ${message}\n`);
  process.exit(2);
}

const args = scriptArgs(import.meta.url, {
  options: { datasets: { type: 'string' }, json: { type: 'boolean' }, errors: { type: 'string' } },
  strict: true,
}).values;
const datasets = resolve(args.datasets ?? process.env['MG_DATASETS'] ?? '../shared/datasets');
const jwDir = join(datasets, 'justwatch');
const mlDir = join(datasets, 'movielens', 'ml-latest-small');
if (!existsSync(jwDir) || !existsSync(join(mlDir, 'movies.csv'))) {
  fail(`datasets not found under ${datasets} (need justwatch/ and movielens/ml-latest-small/); pass --datasets <dir>`);
}
const errorSamples = args.errors === undefined ? 0 : Number(args.errors);
if (!Number.isInteger(errorSamples) || errorSamples < 0)
  fail(`--errors must be a non-negative integer, got "${args.errors}"`);

const started = performance.now();
// Catalog-like sources first, then MovieLens: the order a real deployment would ingest them in.
const truth: TruthRecord[] = [...(await readJustWatch(jwDir)), ...(await readMovieLens(mlDir))];
const records = truth.map((t) => t.record);
const labels = truth.map((t) => t.imdb);
const isMovieLens = records.map((r) => r.source === 'movielens');
const withoutIds: SourceRecord[] = records.map((r) => ({ ...r, externalIds: {} }));

const ours = resolveInMemory(records);
const noIds = resolveInMemory(withoutIds);
const baseline = baselineClusters(records);

const score = scorePairs(labels, ours.clusters);
const scoreNoIds = scorePairs(labels, noIds.clusters);
const scoreBase = scorePairs(labels, baseline);
const crossOurs = scoreCrossPairs(labels, ours.clusters, isMovieLens);
const crossBase = scoreCrossPairs(labels, baseline, isMovieLens);
const unjudgeable = unjudgeableCrossPairs(labels, ours.clusters, isMovieLens);
const count = (methods: string[], m: string) => methods.filter((x) => x === m).length;

const result = {
  precision: round(score.precision),
  recall: round(score.recall),
  f1: round(score.f1),
  pairs: score.truePairs,
  // Upper bound: precision if the pairs the two truths contradict each other on are not judged.
  precision_unjudgeable_excluded: round(score.correctPairs / Math.max(1, score.predictedPairs - unjudgeable)),
  unjudgeable_pairs: unjudgeable,
  baseline_precision: round(scoreBase.precision),
  baseline_recall: round(scoreBase.recall),
  baseline_f1: round(scoreBase.f1),
  no_external_ids_precision: round(scoreNoIds.precision),
  no_external_ids_recall: round(scoreNoIds.recall),
  no_external_ids_f1: round(scoreNoIds.f1),
  movielens_justwatch_precision: round(crossOurs.precision),
  movielens_justwatch_recall: round(crossOurs.recall),
  movielens_justwatch_pairs: crossOurs.truePairs,
  baseline_movielens_justwatch_precision: round(crossBase.precision),
  baseline_movielens_justwatch_recall: round(crossBase.recall),
  records: records.length,
  judged_records: labels.filter((l) => l !== undefined).length,
  merges_by_external_id: count(ours.methods, 'external-id'),
  merges_by_evidence: count(ours.methods, 'evidence'),
  merges_by_evidence_without_ids: count(noIds.methods, 'evidence'),
  seconds: round((performance.now() - started) / 1000, 2),
};

if (!args.json) {
  const line = (name: string, s: PairScore) =>
    `${name.padEnd(34)} precision ${s.precision.toFixed(4)}  recall ${s.recall.toFixed(4)}  ` +
    `f1 ${s.f1.toFixed(4)}  (${s.correctPairs}/${s.predictedPairs} predicted, ${s.truePairs} true pairs)`;
  console.log(`records: ${result.records} (${result.judged_records} with an IMDb id, hidden from the resolver)`);
  console.log(line('resolver (JustWatch/TMDb ids + evidence)', score));
  console.log(line('resolver, no external ids', scoreNoIds));
  console.log(line('baseline title+year', scoreBase));
  console.log(line('resolver, MovieLens↔JustWatch pairs', crossOurs));
  console.log(line('baseline, MovieLens↔JustWatch pairs', crossBase));
  console.log(
    `unjudgeable MovieLens↔JustWatch pairs (the two truths contradict): ${unjudgeable}; ` +
      `precision without them ${result.precision_unjudgeable_excluded}`,
  );
  console.log(
    `merges: ${result.merges_by_external_id} by external id, ${result.merges_by_evidence} ` +
      `by evidence (${result.merges_by_evidence_without_ids} by evidence without ids)`,
  );
}
if (errorSamples > 0) {
  for (const text of describeErrors(records, labels, noIds.clusters, errorSamples)) console.log(text);
}
console.log(JSON.stringify(result));
