import { useState } from 'react';
import { api } from '../api/api-client.ts';

/** Settings: everything the server holds about you, saved as one JSON file (GET /api/me/export). */
export function DownloadMyData() {
  const [state, setState] = useState<'idle' | 'busy' | 'done' | string>('idle');
  const download = async () => {
    setState('busy');
    try {
      const doc = await api<Record<string, unknown>>('/api/me/export');
      const url = URL.createObjectURL(new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = 'media-gateway-export.json';
      a.click();
      URL.revokeObjectURL(url);
      setState('done');
    } catch (error) {
      setState(`Could not export: ${(error as Error).message}`);
    }
  };
  return (
    <section aria-labelledby="data-h">
      <h2 id="data-h">Your data</h2>
      <p>
        Everything held about you (account, settings, watchlist, progress, devices, feedback, sign-ins), as one JSON
        file. Deleting your account on the <a href="/auth/account">account page</a> erases all of it.
      </p>
      <button type="button" data-testid="export-data" disabled={state === 'busy'} onClick={() => void download()}>
        {state === 'busy' ? 'Preparing…' : 'Download my data'}
      </button>
      {state === 'done' && <span role="status"> Downloaded.</span>}
      {state.startsWith('Could not') && <p role="alert">{state}</p>}
    </section>
  );
}
