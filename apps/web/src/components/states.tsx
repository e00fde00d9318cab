import type { ReactNode } from 'react';
import { ApiError } from '../api/api-client.ts';

/** Loading, error and empty states, written for people rather than for developers. */
export function Loading({ what }: { what: string }) {
  return (
    <p className="state" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function ErrorState({
  error,
  retry,
  what,
  fromAddress = false,
}: {
  error: Error;
  retry?: () => void;
  what: string;
  /** The request came from the page's address (a title id in the URL): a 400 means the address is wrong. */
  fromAddress?: boolean;
}) {
  const api = error instanceof ApiError ? error : undefined;
  const text =
    api?.status === 0
      ? 'The Media Gateway server did not answer. Is it still running?'
      : api?.status === 404
        ? `We could not find ${what}. It may have been removed from the catalog.`
        : api?.status === 401
          ? 'Your sign-in has expired. Sign in again to continue.'
          : api?.status === 403
            ? `Your account is not allowed to see ${what}.`
            : api?.status === 400
              ? fromAddress
                ? `This address does not lead to ${what}. Check the link, or search for it.`
                : error.message
              : `Something went wrong while loading ${what}: ${error.message}`;
  // Asking again for what is not there, not allowed or not valid gives the same answer: no "Try again" then.
  const final = api !== undefined && [400, 403, 404].includes(api.status);
  return (
    <div className="state state-error" role="alert">
      <p>{text}</p>
      {retry && !final && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p>
        <strong>{title}</strong>
      </p>
      {children}
    </div>
  );
}

/** What a person sees when the server has no titles at all. */
export function NoCatalog() {
  return (
    <Empty title="No catalog yet: here is how to add one.">
      <ol>
        <li>
          Load a catalog file (CSV or JSONL): <code>media-gateway ingest path/to/catalog.csv</code>
        </li>
        <li>
          Or restart with the bundled sample: <code>MG_SAMPLE_CATALOG=auto npm start</code> (the default on an empty
          catalog).
        </li>
        <li>Administrators can also upload a file from the dashboard.</li>
      </ol>
    </Empty>
  );
}
