import { api } from '../api/api-client.ts';
import { useAsync } from '../use-async.ts';

export interface CatalogSummary {
  titles: number;
  offers: number;
  sources: Array<{ source: string; offers: number; titles: number; lastSeen: string | null }>;
  sample: { asOf: string; offers: number; titles: number; onlySource: boolean } | null;
}

let cached: Promise<CatalogSummary> | undefined;
export function catalogSummary(fresh = false): Promise<CatalogSummary> {
  if (fresh || !cached) cached = api<CatalogSummary>('/api/catalog/summary', { auth: false });
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}

/** Says plainly when availability comes from the bundled sample, and how old it is. */
export function SampleBanner() {
  const { data } = useAsync(() => catalogSummary(), []);
  if (!data?.sample) return null;
  return (
    <aside className="banner" role="note" aria-label="Sample data">
      {data.sample.onlySource
        ? `This server shows the bundled sample catalog: ${data.titles} real titles`
        : `Availability of ${data.sample.titles} of the ${data.titles} titles comes from the bundled sample catalog`}
      , as of <time dateTime={data.sample.asOf}>{data.sample.asOf}</time>. It may have changed since. Add real catalogs
      with <code>media-gateway ingest</code>.
    </aside>
  );
}
