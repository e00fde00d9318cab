import { type FormEvent, useState } from 'react';
import { api } from '../api/api-client.ts';
import { Link } from '../router.tsx';
import { Empty, ErrorState, Loading } from '../components/states.tsx';
import { useAsync } from '../use-async.ts';
import type { MergeQueue, MergeView, ResolutionOverride } from './admin-api.ts';

const THRESHOLDS = [0.8, 0.9, 0.95, 1];

/**
 * The entity-resolution review queue (GET /api/admin/resolution): records merged into another
 * record's title, least certain first. "Split" gives a record a title of its own; "Merge into…"
 * moves it onto a title id. Both are stored, so the next ingestion keeps the decision.
 */
export function ReviewQueue() {
  const [below, setBelow] = useState(0.9);
  const [message, setMessage] = useState('');
  const queue = useAsync(
    (signal) => api<MergeQueue>(`/api/admin/resolution?below=${below}&limit=50`, { signal }),
    [below],
  );

  const decide = async (item: MergeView, action: 'split' | 'merge', targetTitleId?: string) => {
    try {
      const r = await api<ResolutionOverride>('/api/admin/resolution/override', {
        method: 'POST',
        body: { source: item.source, sourceKey: item.sourceKey, action, ...(targetTitleId ? { targetTitleId } : {}) },
      });
      setMessage(
        action === 'split'
          ? `Split ${item.title} (${item.source}) onto its own title ${r.titleId}.`
          : `Merged ${item.title} (${item.source}) into ${r.titleId}.`,
      );
      queue.reload();
    } catch (err) {
      setMessage(`Not changed: ${(err as Error).message}`);
    }
  };

  return (
    <section aria-labelledby="review-h">
      <h2 id="review-h">Entity resolution review</h2>
      <p>
        <label htmlFor="review-below">Show merges with confidence up to </label>
        <select id="review-below" value={below} onChange={(e) => setBelow(Number(e.target.value))}>
          {THRESHOLDS.map((t) => (
            <option key={t} value={t}>
              {t.toFixed(2)}
            </option>
          ))}
        </select>
      </p>
      <p role="status" aria-live="polite">
        {message}
      </p>
      {queue.error && <ErrorState error={queue.error} retry={queue.reload} what="the review queue" />}
      {!queue.data && !queue.error && <Loading what="the review queue" />}
      {queue.data && queue.data.items.length === 0 && (
        <Empty title="Nothing to review at this threshold.">
          <p>
            Merges appear here when a second source lists a title the catalog already has and the evidence is not
            conclusive.
          </p>
        </Empty>
      )}
      {queue.data && queue.data.items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Record</th>
              <th scope="col">Merged into</th>
              <th scope="col">Confidence</th>
              <th scope="col">Why</th>
              <th scope="col">Decision</th>
            </tr>
          </thead>
          <tbody>
            {queue.data.items.map((item) => (
              <QueueRow key={`${item.source}/${item.sourceKey}`} item={item} decide={decide} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function QueueRow({
  item,
  decide,
}: {
  item: MergeView;
  decide: (item: MergeView, action: 'split' | 'merge', target?: string) => Promise<void>;
}) {
  const [busy, setBusy] = useState(false);
  const run = async (action: 'split' | 'merge', target?: string) => {
    setBusy(true);
    await decide(item, action, target);
    setBusy(false);
  };
  const merge = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const target = String(new FormData(e.currentTarget).get('target') ?? '').trim();
    if (target) void run('merge', target);
  };
  const inputId = `merge-${item.source}-${item.sourceKey}`.replace(/[^A-Za-z0-9_-]/g, '_');
  return (
    <tr>
      <th scope="row">
        {item.source} <code>{item.sourceKey}</code>
      </th>
      <td>
        <Link href={`/title/${item.titleId}`}>{item.title}</Link> <code>{item.titleId}</code>
      </td>
      <td>{item.confidence.toFixed(2)}</td>
      <td>
        {item.method}: {item.reason}
        {item.override && (
          <>
            {' '}
            <span className="badge">operator {item.override}</span>
          </>
        )}
      </td>
      <td className="decision">
        <button
          type="button"
          disabled={busy}
          onClick={() => void run('split')}
          aria-label={`Split ${item.title} from ${item.source}`}
        >
          Split
        </button>
        <form onSubmit={merge} className="merge-form">
          <label htmlFor={inputId} className="visually-hidden">
            Title id to merge {item.title} from {item.source} into
          </label>
          <input
            id={inputId}
            name="target"
            placeholder="mg_…"
            pattern="mg_[a-z2-7]{12}"
            size={16}
            required
            disabled={busy}
          />
          <button type="submit" disabled={busy}>
            Merge into
          </button>
        </form>
      </td>
    </tr>
  );
}
