import { useCallback, useEffect, useState } from 'react';
import { catalogSummary } from '../components/sample-banner.tsx';
import { ErrorState, Loading, NoCatalog } from '../components/states.tsx';
import '../dashboard/dashboard.css';
import { IngestionRuns } from '../dashboard/ingestion-runs.tsx';
import { MetricsTiles } from '../dashboard/metrics-tiles.tsx';
import { ReviewQueue } from '../dashboard/review-queue.tsx';
import { UploadPanel } from '../dashboard/upload-panel.tsx';
import { UsersPanel } from '../dashboard/users-panel.tsx';
import { useSession } from '../session.tsx';
import { useAsync } from '../use-async.ts';

/** Admin dashboard (admin scope): metrics, catalog statistics, ingestion runs and uploads, review queue, accounts. */
export function DashboardPage() {
  const { user } = useSession();
  // Bumped when an upload starts or ends, so the runs, statistics and metrics reload at once.
  const [changed, setChanged] = useState(0);
  const bump = useCallback(() => setChanged((n) => n + 1), []);
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
    <div className="dash">
      <h1>Dashboard</h1>
      <nav aria-label="Dashboard sections" className="dash-nav">
        <ul>
          <li>
            <a href="#metrics-h">Metrics</a>
          </li>
          <li>
            <a href="#stats-h">Catalog</a>
          </li>
          <li>
            <a href="#runs-h">Ingestion runs</a>
          </li>
          <li>
            <a href="#upload-h">Add a catalog</a>
          </li>
          <li>
            <a href="#review-h">Resolution review</a>
          </li>
          <li>
            <a href="#users-h">Users</a>
          </li>
        </ul>
      </nav>
      <MetricsTiles refreshKey={changed} />
      <CatalogStats refreshKey={changed} />
      <IngestionRuns refreshKey={changed} />
      <UploadPanel onStarted={bump} />
      <ReviewQueue />
      <UsersPanel />
    </div>
  );
}

function CatalogStats({ refreshKey }: { refreshKey: number }) {
  const s = useAsync(() => catalogSummary(true), [refreshKey]);
  return (
    <section aria-labelledby="stats-h">
      <h2 id="stats-h">Catalog</h2>
      {s.error && <ErrorState error={s.error} retry={s.reload} what="catalog statistics" />}
      {!s.data && !s.error && <Loading what="catalog statistics" />}
      {s.data && s.data.titles === 0 && <NoCatalog />}
      {s.data && s.data.titles > 0 && (
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
