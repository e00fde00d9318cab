import { useEffect, useState } from 'react';
import { finishSignIn, signIn } from '../auth/oauth-pkce.ts';
import { navigate } from '../router.tsx';

// The code can be redeemed only once, and React may run an effect twice (StrictMode): share one attempt.
let attempt: { search: string; result: Promise<string> } | undefined;

/** /app/callback: the authorization server sends the browser back here with ?code&state. */
export function CallbackPage() {
  const [error, setError] = useState<string>();
  useEffect(() => {
    let done = false;
    if (attempt?.search !== location.search)
      attempt = { search: location.search, result: finishSignIn(location.search) };
    attempt.result.then(
      (to) => !done && navigate(to, { replace: true }),
      (e: Error) => !done && setError(e.message),
    );
    return () => {
      done = true;
    };
  }, []);
  if (!error) return <p role="status">Signing you in…</p>;
  return (
    <section className="state state-error" role="alert">
      <h1>Sign-in did not finish</h1>
      <p>{error}</p>
      <button type="button" onClick={() => void signIn('/')}>
        Sign in again
      </button>
    </section>
  );
}
