import type { SourceRecord } from '@media-gateway/domain';

function describe(r: SourceRecord, imdb: string | undefined): string {
  const facts = [
    r.kind,
    r.year,
    r.runtimeMinutes ? `${r.runtimeMinutes}m` : undefined,
    r.genres.join('/'),
    r.countries.join('/'),
    r.alternateTitles.length ? `aka ${r.alternateTitles.join(' | ')}` : undefined,
  ].filter((x) => x !== undefined && x !== '');
  return `    ${r.source}:${r.sourceKey} "${r.title}" (${facts.join(', ')}) truth=${imdb ?? '-'}`;
}

/**
 * Samples of wrong merges (a cluster holding two IMDb ids) and misses (one IMDb id split over
 * clusters), for tuning by eye. Only judged records are considered.
 */
export function describeErrors(
  records: readonly SourceRecord[],
  labels: readonly (string | undefined)[],
  clusters: readonly string[],
  limit: number,
): string[] {
  const byCluster = new Map<string, number[]>();
  const byTruth = new Map<string, number[]>();
  labels.forEach((truth, i) => {
    if (truth === undefined) return;
    const c = clusters[i]!;
    byCluster.set(c, [...(byCluster.get(c) ?? []), i]);
    byTruth.set(truth, [...(byTruth.get(truth) ?? []), i]);
  });
  const out: string[] = [];
  const wrong = [...byCluster.values()].filter((ids) => new Set(ids.map((i) => labels[i])).size > 1);
  out.push(`wrong merges: ${wrong.length} clusters`);
  for (const ids of wrong.slice(0, limit)) out.push('  cluster', ...ids.map((i) => describe(records[i]!, labels[i])));
  const missed = [...byTruth.values()].filter((ids) => new Set(ids.map((i) => clusters[i])).size > 1);
  out.push(`missed: ${missed.length} ids split over clusters`);
  for (const ids of missed.slice(0, limit)) out.push('  truth', ...ids.map((i) => describe(records[i]!, labels[i])));
  return out;
}
