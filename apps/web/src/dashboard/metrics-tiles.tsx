import { useEffect, useState } from 'react';
import { api } from '../api/api-client.ts';
import { platformName, platforms } from '../components/platforms.ts';
import { ErrorState, Loading } from '../components/states.tsx';
import { useAsync } from '../use-async.ts';
import type { AdminMetrics } from './admin-api.ts';

/** Key figures (GET /api/admin/metrics), refreshed every 10 s; Prometheus can scrape /metrics for history. */
export function MetricsTiles({ refreshKey }: { refreshKey: number }) {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), 10_000);
    return () => clearInterval(timer);
  }, []);
  const m = useAsync((signal) => api<AdminMetrics>('/api/admin/metrics', { signal }), [tick, refreshKey]);
  const names = useAsync(() => platforms(), []);
  return (
    <section aria-labelledby="metrics-h">
      <h2 id="metrics-h">Key metrics</h2>
      {m.error && <ErrorState error={m.error} retry={m.reload} what="the metrics" />}
      {!m.data && !m.error && <Loading what="metrics" />}
      {m.data && (
        <>
          <ul className="tiles">
            <Tile label="Titles" value={m.data.catalog.titles} />
            <Tile label="Offers" value={m.data.catalog.offers} />
            <Tile
              label="Accounts"
              value={m.data.users.total}
              note={`${m.data.users.admins} admin${m.data.users.admins === 1 ? '' : 's'}`}
            />
            <Tile
              label={`Devices seen (${m.data.devices.withinMinutes} min)`}
              value={m.data.devices.seenRecently}
              note={`${m.data.devices.usersWithDevices} people`}
            />
            <Tile
              label="Requests / s"
              value={m.data.requests.ratePerSecond}
              note={`last ${Math.round(m.data.requests.windowSeconds / 60) || 1} min, this server`}
            />
            <Tile
              label="p95 latency"
              value={m.data.requests.p95Ms === null ? '–' : `${m.data.requests.p95Ms} ms`}
              note={m.data.requests.p50Ms === null ? 'no requests yet' : `median ${m.data.requests.p50Ms} ms`}
            />
            <Tile label="Server errors" value={`${Math.round(m.data.requests.serverErrorRate * 1000) / 10}%`} />
            <Tile
              label="Ingestion"
              value={m.data.ingestion.running ? `${m.data.ingestion.running} running` : 'idle'}
              note={`${m.data.ingestion.failedLastDay} failed today`}
            />
          </ul>
          {m.data.catalog.offersByPlatform.length > 0 && (
            <table>
              <caption>Offers by platform</caption>
              <thead>
                <tr>
                  <th scope="col">Platform</th>
                  <th scope="col">Offers</th>
                  <th scope="col">Titles</th>
                </tr>
              </thead>
              <tbody>
                {m.data.catalog.offersByPlatform.map((p) => (
                  <tr key={p.platform}>
                    <th scope="row">{platformName(names.data, p.platform)}</th>
                    <td>{p.offers}</td>
                    <td>{p.titles}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

function Tile({ label, value, note }: { label: string; value: number | string; note?: string }) {
  return (
    <li className="tile">
      <span className="tile-label">{label}</span>
      <strong className="tile-value">{value}</strong>
      {note && <span className="tile-note">{note}</span>}
    </li>
  );
}
