import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../api/api-client.ts';
import type { Platform } from '../api/types.ts';
import { platforms } from '../components/platforms.ts';
import { useAsync } from '../use-async.ts';
import { UPLOAD_MAX_BYTES, type UploadProgress, uploadCatalog } from './admin-api.ts';
import { RunProblems } from './run-problems.tsx';

type Phase =
  | { kind: 'idle' }
  | { kind: 'sending'; fraction: number; name: string }
  | { kind: 'ingesting'; progress: UploadProgress }
  | { kind: 'done'; progress: UploadProgress }
  | { kind: 'error'; message: string };

const percent = (n: number, d: number) => (d > 0 ? Math.min(100, Math.round((n / d) * 100)) : 0);

/**
 * Upload a catalog file (POST /api/admin/ingestion/upload): the transfer's progress, then the
 * pipeline's (bytes of the file read, rows), then the outcome with the run's row problems.
 */
export function UploadPanel({ onStarted }: { onStarted: () => void }) {
  const list = useAsync(() => platforms(), []);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });

  const runId = phase.kind === 'ingesting' ? phase.progress.runId : undefined;
  useEffect(() => {
    if (!runId) return;
    let live = true;
    const timer = setInterval(() => {
      api<UploadProgress>(`/api/admin/ingestion/upload/${runId}`).then(
        (p) => {
          if (!live) return;
          if (p.status === 'running') setPhase({ kind: 'ingesting', progress: p });
          else {
            setPhase({ kind: 'done', progress: p });
            onStarted();
          }
        },
        (e: Error) =>
          live &&
          setPhase({
            kind: 'error',
            message: `Lost track of the run: ${e.message}. The runs table below shows how it ends.`,
          }),
      );
    }, 500);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [runId, onStarted]);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const file = f.get('file');
    if (!(file instanceof File) || file.size === 0)
      return setPhase({ kind: 'error', message: 'Choose a catalog file first (it must not be empty).' });
    if (file.size > UPLOAD_MAX_BYTES)
      return setPhase({
        kind: 'error',
        message:
          `${file.name} is ${(file.size / 1048576).toFixed(1)} MB; the upload limit ` +
          `is ${UPLOAD_MAX_BYTES / 1048576} MB. Use media-gateway ingest on the server for bigger files.`,
      });
    setPhase({ kind: 'sending', fraction: 0, name: file.name });
    try {
      const started = await uploadCatalog(
        file,
        {
          platform: String(f.get('platform') || '') || undefined,
          region: String(f.get('region') || '').trim() || undefined,
          format: String(f.get('format') || '') || undefined,
          asOf: String(f.get('asOf') || '') || undefined,
        },
        (fraction) => setPhase({ kind: 'sending', fraction, name: file.name }),
      );
      setPhase({ kind: 'ingesting', progress: started });
      onStarted();
    } catch (err) {
      setPhase({ kind: 'error', message: `Not uploaded: ${(err as Error).message}` });
    }
  };

  const busy = phase.kind === 'sending' || phase.kind === 'ingesting';
  return (
    <section aria-labelledby="upload-h">
      <h2 id="upload-h">Add a catalog</h2>
      <p className="hint">
        A catalog CSV (<code>show_id,type,title,…</code>), a JustWatch CSV or our JSONL, up to{' '}
        {UPLOAD_MAX_BYTES / 1048576} MB. The platform comes from the file name (<code>netflix_titles.csv</code>) unless
        you pick one. Re-uploading the same file changes nothing.
      </p>
      <form className="narrow upload-form" onSubmit={(e) => void submit(e)} aria-describedby="upload-status">
        <label htmlFor="up-file">Catalog file</label>
        <input
          id="up-file"
          name="file"
          type="file"
          accept=".csv,.jsonl,.ndjson,.txt,text/csv"
          required
          disabled={busy}
        />
        <label htmlFor="up-platform">Platform</label>
        <select id="up-platform" name="platform" disabled={busy}>
          <option value="">From the file name</option>
          {[...(list.data?.values() ?? [])].map((p: Platform) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
        <label htmlFor="up-region">Region</label>
        <input
          id="up-region"
          name="region"
          defaultValue="US"
          maxLength={2}
          pattern="[A-Za-z]{2}"
          title="Two-letter country code"
          disabled={busy}
        />
        <label htmlFor="up-format">Format</label>
        <select id="up-format" name="format" disabled={busy}>
          <option value="">Detect from the header</option>
          <option value="catalog-csv">Catalog CSV</option>
          <option value="justwatch-csv">JustWatch CSV</option>
          <option value="jsonl">JSONL (canonical records)</option>
        </select>
        <label htmlFor="up-asof">Availability as of</label>
        <input
          id="up-asof"
          name="asOf"
          type="date"
          title="When the file's availability was true; left empty, its offers show as of unknown"
          disabled={busy}
        />
        <p>
          <button type="submit" disabled={busy}>
            Upload and ingest
          </button>
        </p>
      </form>
      <div id="upload-status" role="status" aria-live="polite">
        {phase.kind === 'sending' && (
          <p>
            <label htmlFor="up-sent">Sending {phase.name}</label>{' '}
            <progress id="up-sent" max={100} value={percent(phase.fraction, 1)}>
              {percent(phase.fraction, 1)}%
            </progress>
          </p>
        )}
        {phase.kind === 'ingesting' && (
          <p>
            <label htmlFor="up-ingest">
              Ingesting {phase.progress.fileName}: {phase.progress.rows} rows so far
            </label>{' '}
            <progress id="up-ingest" max={100} value={percent(phase.progress.done, phase.progress.total)}>
              {percent(phase.progress.done, phase.progress.total)}%
            </progress>
          </p>
        )}
        {phase.kind === 'done' && (
          <p className={phase.progress.status === 'completed' ? 'upload-ok' : 'state-error'}>
            {phase.progress.status === 'completed'
              ? `Ingested ${phase.progress.fileName} as ${phase.progress.source}: ` +
                `${phase.progress.rows} row${phase.progress.rows === 1 ? '' : 's'}.`
              : `Ingestion of ${phase.progress.fileName} failed: ${phase.progress.error ?? 'see the runs table'}.`}
          </p>
        )}
        {phase.kind === 'error' && <p className="state-error">{phase.message}</p>}
      </div>
      {phase.kind === 'done' && (
        <section aria-label="Row problems of this upload">
          <RunProblems runId={phase.progress.runId} />
        </section>
      )}
    </section>
  );
}
