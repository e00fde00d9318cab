import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, api } from '../api/api-client.ts';
import { catalogSummary } from '../components/sample-banner.tsx';
import { ErrorState, Loading } from '../components/states.tsx';
import { useSession } from '../session.tsx';
import { useAsync } from '../use-async.ts';

interface IngestionRun {
  id: string | number;
  source: string;
  status: string;
  startedAt?: string;
  finishedAt?: string | null;
  counts?: Record<string, number>;
  problemCount?: number;
  error?: string | null;
}

interface LiveSource {
  source: string;
  configured: boolean;
  missing?: string[] | string;
}

/** Admin dashboard (admin scope): catalog statistics, ingestion runs, accounts. */
export function DashboardPage() {
  const { user } = useSession();
  useEffect(() => {
    document.title = 'Dashboard · Media Gateway';
  }, []);
  if (user === undefined) return <Loading what="your account" />;
  if (!user?.isAdmin || !user.scopes.includes('admin')) {
    return (
      <section className="state state-error" role="alert">
        <h1>Administrators only</h1>
        <p>Sign in with an administrator account to see the dashboard.</p>
      </section>
    );
  }
  return (
    <div>
      <h1>Dashboard</h1>
      <CatalogStats />
      <IngestionRuns />
      <AddCatalog />
      <CreateUser />
    </div>
  );
}

function CatalogStats() {
  const s = useAsync(() => catalogSummary(true), []);
  return (
    <section aria-labelledby="stats-h">
      <h2 id="stats-h">Catalog</h2>
      {s.error && <ErrorState error={s.error} retry={s.reload} what="catalog statistics" />}
      {s.data && (
        <>
          <p className="metrics">
            <span>
              <strong>{s.data.titles}</strong> titles
            </span>
            <span>
              <strong>{s.data.offers}</strong> offers
            </span>
            <span>
              <strong>{s.data.sources.length}</strong> sources
            </span>
          </p>
          <table>
            <caption className="visually-hidden">Offers by source</caption>
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">Offers</th>
                <th scope="col">Titles</th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            <tbody>
              {s.data.sources.map((src) => (
                <tr key={src.source}>
                  <th scope="row">{src.source}</th>
                  <td>{src.offers}</td>
                  <td>{src.titles}</td>
                  <td>{src.lastSeen?.slice(0, 16).replace('T', ' ') ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {s.data.sample && <p className="note">Sample catalog offers are as of {s.data.sample.asOf}.</p>}
        </>
      )}
    </section>
  );
}

/** GET /api/admin/ingestion/runs (live sources feature): runs with progress and per-row errors. */
function IngestionRuns() {
  const runs = useAsync((signal) => api<{ runs: IngestionRun[]; sources?: LiveSource[] }>('/api/admin/ingestion/runs', { signal }), []);
  const missing = runs.error instanceof ApiError && runs.error.status === 404;
  return (
    <section aria-labelledby="runs-h">
      <h2 id="runs-h">Ingestion runs</h2>
      {missing && <p className="note">This server does not offer the ingestion-runs API yet. <code>media-gateway ingest --json</code> prints each run's counts and row problems.</p>}
      {runs.error && !missing && <ErrorState error={runs.error} retry={runs.reload} what="ingestion runs" />}
      {runs.data?.sources && (
        <ul className="sources">
          {runs.data.sources.map((src) => (
            <li key={src.source}>
              <strong>{src.source}</strong>:{' '}
              {src.configured ? 'configured' : `not configured${src.missing ? ` (set ${[src.missing].flat().join(', ')})` : ''}`}
            </li>
          ))}
        </ul>
      )}
      {runs.data && runs.data.runs.length === 0 && <p>No ingestion has run yet.</p>}
      {runs.data && runs.data.runs.length > 0 && (
        <table>
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
              <tr key={String(r.id)}>
                <th scope="row">{r.source}</th>
                <td>{r.status}</td>
                <td>{r.startedAt?.slice(0, 16).replace('T', ' ')}</td>
                <td>{r.counts ? Object.entries(r.counts).map(([k, v]) => `${k} ${v}`).join(', ') : '–'}</td>
                <td>
                  {r.error && <p className="state-error">{r.error}</p>}
                  {r.problemCount ? `${r.problemCount} row problem(s)` : r.error ? '' : 'none'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function AddCatalog() {
  return (
    <section aria-labelledby="add-h">
      <h2 id="add-h">Add a catalog</h2>
      <p>
        Load a catalog file (CSV or JSONL) with <code>media-gateway ingest path/to/file.csv</code> on the server. Uploading from this page needs an
        upload endpoint the gateway does not offer yet.
      </p>
    </section>
  );
}

/** POST /auth/users: local accounts for the people in this household. */
function CreateUser() {
  const [msg, setMsg] = useState('');
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    try {
      const u = await api<{ email: string }>('/auth/users', {
        method: 'POST',
        body: { email: String(f.get('email')), password: String(f.get('password')), displayName: String(f.get('name') || '') || undefined, admin: f.get('admin') === 'on' },
      });
      setMsg(`Created an account for ${u.email}.`);
      form.reset();
    } catch (err) {
      setMsg(`Not created: ${(err as Error).message}`);
    }
  };
  return (
    <section aria-labelledby="users-h">
      <h2 id="users-h">Users</h2>
      <form onSubmit={(e) => void submit(e)} className="narrow">
        <label htmlFor="nu-email">Email</label>
        <input id="nu-email" name="email" type="email" required />
        <label htmlFor="nu-name">Display name</label>
        <input id="nu-name" name="name" />
        <label htmlFor="nu-password">Password</label>
        <input id="nu-password" name="password" type="password" minLength={8} required autoComplete="new-password" />
        <label>
          <input type="checkbox" name="admin" /> Administrator
        </label>
        <button type="submit">Create account</button>
        <p role="status" aria-live="polite">
          {msg}
        </p>
      </form>
    </section>
  );
}
