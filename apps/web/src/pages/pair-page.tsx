import { type FormEvent, useState } from 'react';

/**
 * Pair a TV or terminal: the code it shows belongs to the device authorization grant (RFC 8628).
 * The gateway's own verification page (/device) shows which app asks, with which permissions,
 * and takes the approval; this page only gets the code there.
 */
export function PairPage() {
  const [code, setCode] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const clean = code.trim().toUpperCase();
    if (clean) location.assign(`/device?user_code=${encodeURIComponent(clean)}`);
  };
  return (
    <section aria-labelledby="pair-h" className="narrow">
      <h1 id="pair-h">Pair a device</h1>
      <p>
        Open TV mode (or run <code>media-gateway login</code>) on the device you want to connect. It shows a short code;
        enter it here.
      </p>
      <form onSubmit={submit}>
        <label htmlFor="pair-code">Code shown on the device</label>
        <input
          id="pair-code"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          autoComplete="off"
          autoCapitalize="characters"
          maxLength={20}
          required
        />
        <button type="submit">Continue</button>
      </form>
      <p className="muted">On the next page you will see which app is asking and what it may do before you approve.</p>
    </section>
  );
}
