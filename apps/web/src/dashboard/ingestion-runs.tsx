import { useEffect, useState } from 'react';
import { ApiError, api } from '../api/api-client.ts';
import { ErrorState, Loading } from '../components/states.tsx';
import { useAsync } from '../use-async.ts';
import { type IngestionRun, type LiveSource, shortTime } from './admin-api.ts';
import { RunProblems } from './run-problems.tsx';

/** Counts worth a person's attention, in this order; the rest stay in the API answer. */
const SHOWN_COUNTS: Array<[string, string]> = [
  ['rows', 'rows'],
  ['titlesCreated', 'new titles'],
  ['mergedIntoExisting', 'merged'],
  ['offersAdded', 'offers added'],
  ['rejected', 'rejected'],
];

/**
 * Runs newest first (GET /api/admin/ingestion/runs), refreshed every 2 s while one is running, with
 * each run's row problems behind a disclosure button. `refreshKey` changes when an upload starts.
 */
export function IngestionRuns({ refreshKey }: { refreshKey: number }) {
  const runs = useAsync(
    (signal) => api<{ runs: IngestionRun[]; sources?: LiveSource[] }>('/api/admin/ingestion/runs?limit=20', { signal }),
    [refreshKey],
  );
  const [open, setOpen] = useState<string | undefined>(undefined);
  const running = runs.data?.runs.some((r) => r.status === 'running') ?? false;
  const { reload } = runs;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(reload, 2000);
    return () => clearInterval(timer);
  }, [running, reload]);
  const missing = runs.error instanceof ApiError && runs.error.status === 404;
  return (
    <section aria-labelledby="runs-h">
      <h2 id="runs-h">Ingestion runs</h2>
      {missing && (
        <p className="note">
          This server does not offer the ingestion-runs API. <code>media-gateway ingest --json</code> prints each run's
          counts and row problems.
        </p>
      )}
      {runs.error && !missing && <ErrorState error={runs.error} retry={runs.reload} what="ingestion runs" />}
      {!runs.data && !runs.error && <Loading what="ingestion runs" />}
      {runs.data?.sources && runs.data.sources.length > 0 && (
        <ul className="sources">
          {runs.data.sources.map((src) => (
            <li key={src.source}>
              <strong>{src.source}</strong>:{' '}
              {src.configured
                ? 'configured'
                : `not configured${src.missing ? ` (${[src.missing].flat().join(', ')})` : ''}`}
            </li>
          ))}
        </ul>
      )}
      {runs.data && runs.data.runs.length === 0 && (
        <p>
          No ingestion has run yet. Upload a catalog file below, or run{' '}
          <code>media-gateway ingest path/to/file.csv</code> on the server.
        </p>
      )}
      {runs.data && runs.data.runs.length > 0 && (
        <table aria-describedby="runs-live">
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Status</th>
              <th scope="col">Started</th>
              <th scope="col">Counts</th>
              <th scope="col">Problems</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.runs.map((r) => (
              <RunRow
                key={r.id}
                run={r}
                open={open === r.id}
                toggle={() => setOpen(open === r.id ? undefined : r.id)}
              />
            ))}
          </tbody>
        </table>
      )}
      <p id="runs-live" className="visually-hidden" aria-live="polite">
        {running ? 'A run is in progress; this table refreshes every two seconds.' : ''}
      </p>
    </section>
  );
}

function RunRow({ run, open, toggle }: { run: IngestionRun; open: boolean; toggle: () => void }) {
  const counts = run.counts ?? {};
  const panel = `problems-${run.id}`;
  return (
    <>
      <tr data-run-id={run.id}>
        <th scope="row">
          {run.source}
          {run.mode === 'upload' && (
            <>
              {' '}
              <span className="badge">upload</span>
            </>
          )}
        </th>
        <td>
          <span className={`run-status run-${run.status}`}>{run.status}</span>
        </td>
        <td>{shortTime(run.startedAt)}</td>
        <td>
          {SHOWN_COUNTS.filter(([k]) => counts[k] !== undefined)
            .map(([k, label]) => `${counts[k]} ${label}`)
            .join(', ') || '–'}
        </td>
        <td>
          {run.error && <p className="state-error">{run.error}</p>}
          {run.problemCount ? (
            <button type="button" aria-expanded={open} aria-controls={panel} onClick={toggle}>
              {open ? 'Hide' : 'Show'} {run.problemCount} row problem{run.problemCount === 1 ? '' : 's'}
            </button>
          ) : run.error ? null : (
            'none'
          )}
        </td>
      </tr>
      {open && (
        <tr>
          <td colSpan={5}>
            <RunProblems runId={run.id} id={panel} />
          </td>
        </tr>
      )}
    </>
  );
}
