import { api } from '../api/api-client.ts';
import { ErrorState, Loading } from '../components/states.tsx';
import { useAsync } from '../use-async.ts';
import type { RowProblem } from './admin-api.ts';

/** GET /api/admin/ingestion/runs/:id/problems as a table: which row of which file, which field, why. */
export function RunProblems({ runId, id }: { runId: string; id?: string }) {
  const p = useAsync(
    (signal) =>
      api<{ total: number; problems: RowProblem[] }>(
        `/api/admin/ingestion/runs/${encodeURIComponent(runId)}/problems?limit=500`,
        { signal },
      ),
    [runId],
  );
  if (p.error) return <ErrorState error={p.error} retry={p.reload} what="the row problems" />;
  if (!p.data) return <Loading what="row problems" />;
  if (p.data.total === 0) return <p id={id}>Every row was accepted.</p>;
  return (
    <div id={id} className="problems">
      <table>
        <caption>
          {p.data.total} row problem{p.data.total === 1 ? '' : 's'}
          {p.data.total > p.data.problems.length ? ` (first ${p.data.problems.length} shown)` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Row</th>
            <th scope="col">Field</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {p.data.problems.map((x, i) => (
            // Rows can repeat (several problems on one row): the index keeps keys unique.
            // biome-ignore lint/suspicious/noArrayIndexKey: problems have no id of their own
            <tr key={i}>
              <td>{x.file}</td>
              <td>{x.row}</td>
              <td>
                <code>{x.field}</code>
              </td>
              <td>{x.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
