/**
 * Server-rendered pages for sign-in, consent and device verification. Plain HTML with labels,
 * landmarks and no script, so they work with any browser, screen reader or TV remote; the web
 * app may link to them.
 */
const SCOPE_TEXT: Record<string, string> = {
  'catalog:read': 'See the catalog',
  'watchlist:read': 'See your watchlist',
  'watchlist:write': 'Change your watchlist',
  devices: 'See and control your devices (pairing, handoff)',
  recommendations: 'Get recommendations and send feedback',
  admin: 'Administer this Media Gateway',
};

export function esc(value: unknown): string {
  return String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

function layout(title: string, body: string): string {
  return (
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Media Gateway</title>
<style>body{font:1.1rem/1.5 system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}
label{display:block;margin-top:1rem}input{font-size:1.1rem;padding:.4rem;width:100%;box-sizing:border-box}
button{font-size:1.1rem;padding:.5rem 1.2rem;margin:1rem .5rem 0 0}.error{color:#a00}` +
    `.code{font:700 1.6rem monospace;letter-spacing:.1em}</style>
</head><body><main><h1>${esc(title)}</h1>
${body}
</main></body></html>`
  );
}

const hidden = (fields: Record<string, string | undefined>) =>
  Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('');

const scopeList = (scopes: readonly string[]) =>
  `<ul>${scopes.map((s) => `<li>${esc(SCOPE_TEXT[s] ?? s)} <small>(${esc(s)})</small></li>`).join('')}</ul>`;

export function loginPage(input: {
  csrf: string;
  returnTo: string;
  error?: string;
  localAccounts: boolean;
  oidc: boolean;
}): string {
  const local = input.localAccounts
    ? `<form method="post" action="/auth/login">
${hidden({ csrf: input.csrf, return_to: input.returnTo })}
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required>
<label for="password">Password</label>` +
      `<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form>`
    : '';
  const oidc = input.oidc
    ? `<p><a href="/auth/oidc/start?return_to=${encodeURIComponent(input.returnTo)}">` +
      'Sign in with your identity provider</a></p>'
    : '';
  const none =
    !input.localAccounts && !input.oidc
      ? '<p>No sign-in method is configured. Set MG_LOCAL_ACCOUNTS=on or MG_OIDC_ISSUER.</p>'
      : '';
  return layout(
    'Sign in',
    `${input.error ? `<p class="error" role="alert">${esc(input.error)}</p>` : ''}${local}${oidc}${none}`,
  );
}

export function consentPage(input: {
  clientName: string;
  scopes: readonly string[];
  csrf: string;
  params: Record<string, string | undefined>;
}): string {
  return layout(
    'Allow access?',
    `<p><strong>${esc(input.clientName)}</strong> wants to act for you with these permissions:</p>
${scopeList(input.scopes)}
<form method="post" action="/oauth/authorize">${hidden({ ...input.params, csrf: input.csrf })}
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button></form>`,
  );
}

export function deviceEntryPage(input: { csrf: string; error?: string; userCode?: string }): string {
  return layout(
    'Connect a device',
    `${input.error ? `<p class="error" role="alert">${esc(input.error)}</p>` : ''}
<p>Enter the code shown on your TV or terminal.</p>
<form method="post" action="/device">${hidden({ csrf: input.csrf })}
<label for="user_code">Code</label>` +
      `<input id="user_code" name="user_code" autocomplete="off" autocapitalize="characters" ` +
      `value="${esc(input.userCode ?? '')}" required>
<button type="submit">Continue</button></form>`,
  );
}

/** Names the client and scopes; nothing happens without an explicit Approve (RFC 8628 §5.4). */
export function deviceConfirmPage(input: {
  csrf: string;
  userCode: string;
  clientName: string;
  scopes: readonly string[];
}): string {
  return layout(
    'Connect this device?',
    '<p>Only approve if you started this on your own device and it shows the code ' +
      `<span class="code">${esc(input.userCode)}</span>.</p>
<p><strong>${esc(input.clientName)}</strong> will be able to:</p>
${scopeList(input.scopes)}
<form method="post" action="/device/decision">${hidden({ csrf: input.csrf, user_code: input.userCode })}
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button></form>`,
  );
}

export function messagePage(title: string, message: string): string {
  return layout(title, `<p>${esc(message)}</p>`);
}

export function accountPage(input: {
  csrf: string;
  email: string | null;
  displayName: string | null;
  userId: string;
  identities: Array<{ provider: string }>;
  oidc: boolean;
  hasPassword: boolean;
  localAccounts: boolean;
  deleteConfirmation: string;
}): string {
  const password = input.localAccounts
    ? `<h2>Password</h2>
<p>Changing it signs you out on every other device and app.</p>
<form method="post" action="/auth/password">${hidden({ csrf: input.csrf })}
${
  input.hasPassword
    ? '<label for="current_password">Current password</label>' +
      '<input id="current_password" name="current_password" type="password" ' +
      'autocomplete="current-password" required>'
    : ''
}
<label for="new_password">New password (10 characters or more)</label>` +
      `<input id="new_password" name="new_password" type="password" autocomplete="new-password" minlength="10" required>
<button type="submit">${input.hasPassword ? 'Change password' : 'Set a password'}</button></form>`
    : '';
  const confirm = input.hasPassword
    ? '<label for="delete_password">Your password</label>' +
      '<input id="delete_password" name="password" type="password" autocomplete="current-password" required>'
    : `<label for="confirm">Type “${esc(input.deleteConfirmation)}” to confirm</label>` +
      '<input id="confirm" name="confirm" autocomplete="off" required>';
  return layout(
    'Your account',
    `<p>Signed in as <strong>${esc(input.displayName ?? input.email ?? input.userId)}</strong>` +
      `${input.email ? ` (${esc(input.email)})` : ''}.</p>
<p>Linked sign-in providers: ` +
      `${input.identities.length ? input.identities.map((i) => esc(i.provider)).join(', ') : 'none'}.</p>
${input.oidc ? '<p><a href="/auth/oidc/start?link=1">Link your identity provider account</a></p>' : ''}
<form method="post" action="/auth/logout">${hidden({ csrf: input.csrf })}<button type="submit">Sign out</button></form>
<form method="post" action="/auth/logout-everywhere">${hidden({ csrf: input.csrf })}` +
      `<button type="submit">Sign out everywhere</button></form>
${password}
<h2>Delete your account</h2>
<p>This ends every sign-in and removes your email and linked identities. It cannot be undone.</p>
<form method="post" action="/auth/account/delete">${hidden({ csrf: input.csrf })}
${confirm}
<button type="submit">Delete my account</button></form>`,
  );
}
