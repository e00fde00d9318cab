import type { ImportSummary } from '@media-gateway/domain/contracts';
import { useState } from 'react';
import { accessToken } from '../auth/token-store.ts';

type State = { kind: 'idle' } | { kind: 'uploading'; progress: number } | { kind: 'done'; summary: ImportSummary };

/** How a row matched, or why not, as a person reads it (the report keeps the codes). */
const PHRASES: Record<string, string> = {
  imdb: 'by IMDb id',
  tmdb: 'by TMDb id',
  title_year: 'by title and year',
  title_year_near: 'by title and a nearby year',
  title: 'by title alone',
  not_in_catalog: 'not in this catalog',
  ambiguous: 'more than one title fits',
  no_year: 'no year to tell titles apart',
  unsupported: 'a kind of row not imported',
  invalid: 'unreadable row',
};

const list = (counts: Record<string, number>) =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${PHRASES[k] ?? k.replace(/_/g, ' ')}`)
    .join(', ');

/** Sends the file as the raw body with XMLHttpRequest: its upload events give progress, fetch's do not. */
async function upload(file: File, onProgress: (fraction: number) => void): Promise<ImportSummary> {
  const token = await accessToken();
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/me/import?filename=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader('content-type', /\.json$/i.test(file.name) ? 'application/json' : 'text/csv');
    xhr.setRequestHeader('accept', 'application/json');
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let body: { detail?: string } & Partial<ImportSummary> = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {}
      if (xhr.status === 201) resolve(body as ImportSummary);
      else reject(new Error(body.detail ?? `The server answered ${xhr.status}.`));
    };
    xhr.onerror = () => reject(new Error('Could not reach the Media Gateway server.'));
    xhr.send(file);
  });
}

/** The report needs the access token, so it is fetched and saved rather than linked. */
async function download(url: string, name: string): Promise<void> {
  const token = await accessToken();
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.click();
  URL.revokeObjectURL(href);
}

/** Settings: bring ratings, watched history and watchlists from Letterboxd, IMDb, Trakt or Netflix. */
export function ImportPanel() {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [error, setError] = useState('');
  const choose = async (file: File | undefined) => {
    if (!file) return;
    setError('');
    setState({ kind: 'uploading', progress: 0 });
    try {
      const summary = await upload(file, (progress) => setState({ kind: 'uploading', progress }));
      setState({ kind: 'done', summary });
    } catch (err) {
      setState({ kind: 'idle' });
      setError((err as Error).message);
    }
  };
  const s = state.kind === 'done' ? state.summary : undefined;
  return (
    <section aria-labelledby="import-h">
      <h2 id="import-h">Import from another tracker</h2>
      <p>
        Letterboxd (ratings.csv, watched.csv, watchlist.csv, diary.csv), IMDb (ratings or watchlist CSV), Trakt (JSON)
        or Netflix viewing activity (CSV), up to 20 MB. Importing the same file again changes nothing.
      </p>
      <input
        type="file"
        accept=".csv,.json,text/csv,application/json"
        aria-label="Export file to import"
        disabled={state.kind === 'uploading'}
        onChange={(e) => void choose(e.target.files?.[0])}
      />
      {state.kind === 'uploading' && (
        <p role="status">
          Uploading and matching… <progress value={state.progress} max={1} />
        </p>
      )}
      {error && <p role="alert">Not imported: {error}</p>}
      {s && (
        <div role="status">
          <p>
            {s.fileName} ({s.format}): {s.counts.matched} of {s.counts.rows} rows matched ({list(s.counts.how)})
            {s.counts.unmatched > 0 && `; ${s.counts.unmatched} not matched (${list(s.counts.reasons)})`}.{' '}
            {s.counts.imported} new, {s.counts.alreadyImported} already imported, {s.counts.watchlist.added} added to
            your watchlist.
          </p>
          <button type="button" onClick={() => void download(s.links.csv, `import-${s.id}.csv`)}>
            Download the report (CSV)
          </button>{' '}
          <button type="button" onClick={() => void download(s.links.report, `import-${s.id}.json`)}>
            (JSON)
          </button>
        </div>
      )}
    </section>
  );
}
