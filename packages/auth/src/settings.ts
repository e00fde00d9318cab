import { parse, type Setting, type SettingValues, setting } from '@media-gateway/domain';
import { z } from 'zod';

const MG_LOCAL_ACCOUNTS = setting(
  'MG_LOCAL_ACCOUNTS',
  parse.onOff,
  '`off` disables local email+password accounts (then sign in through `MG_OIDC_ISSUER`)',
  '`on`',
);
const MG_ADMIN_EMAIL = setting(
  'MG_ADMIN_EMAIL',
  z.email({ message: 'must be an email address' }),
  'first run: creates this administrator when none exists',
);
const MG_ADMIN_PASSWORD = setting(
  'MG_ADMIN_PASSWORD',
  z.string().min(10, 'must be at least 10 characters'),
  'first run: that administrator’s password (≥ 10 characters)',
);
const MG_OIDC_ISSUER = setting(
  'MG_OIDC_ISSUER',
  parse.url,
  'upstream OpenID Connect provider (discovery URL base); callback `MG_PUBLIC_URL/auth/oidc/callback`',
);
const MG_OIDC_CLIENT_ID = setting('MG_OIDC_CLIENT_ID', parse.text, 'our client id at that provider');
const MG_OIDC_CLIENT_SECRET = setting('MG_OIDC_CLIENT_SECRET', parse.text, 'our client secret at that provider');
const MG_AUTH_RATE_LIMIT_LOGIN = setting(
  'MG_AUTH_RATE_LIMIT_LOGIN',
  parse.int(1, 1_000_000_000),
  'sign-in attempts per minute per IP and per email',
  '`10`',
);
const MG_AUTH_RATE_LIMIT_TOKEN = setting(
  'MG_AUTH_RATE_LIMIT_TOKEN',
  parse.int(1, 1_000_000_000),
  'token requests per minute per IP and per client',
  '`120`',
);
const MG_AUTH_RATE_LIMIT_USER_CODE = setting(
  'MG_AUTH_RATE_LIMIT_USER_CODE',
  parse.int(1, 1_000_000_000),
  'device-code entries per minute per IP and per session',
  '`10`',
);
const MG_AUTH_REVOCATION_POLL_MS = setting(
  'MG_AUTH_REVOCATION_POLL_MS',
  parse.int(0, 3_600_000),
  'how often a replica reloads revoked grants from the database (fallback to Redis pub/sub; `0` = off)',
  '`5000`',
);

/** The authorization server's environment variables (validated and documented by the gateway). */
export const AUTH_SETTINGS: Setting[] = [
  MG_LOCAL_ACCOUNTS,
  MG_ADMIN_EMAIL,
  MG_ADMIN_PASSWORD,
  MG_OIDC_ISSUER,
  MG_OIDC_CLIENT_ID,
  MG_OIDC_CLIENT_SECRET,
  MG_AUTH_RATE_LIMIT_LOGIN,
  MG_AUTH_RATE_LIMIT_TOKEN,
  MG_AUTH_RATE_LIMIT_USER_CODE,
  MG_AUTH_REVOCATION_POLL_MS,
];

export interface AuthSettings {
  localAccounts: boolean;
  /** The first administrator, created at start when there is none. */
  bootstrapAdmin: { email: string; password: string } | undefined;
  oidc: { issuer: string; clientId: string; clientSecret: string | undefined } | undefined;
  /** Attempts per minute; unset = the server's defaults. */
  limits: Partial<Record<'login' | 'token' | 'userCode', number>>;
  /** ms; unset = the server's default, 0 = no polling (Redis pub/sub only). */
  revocationRefreshMs: number | undefined;
}

/** Typed auth options; the problems no single variable shows (an issuer without a client id) are returned too. */
export function authSettings(values: SettingValues): AuthSettings {
  const issuer = values.get(MG_OIDC_ISSUER);
  const clientId = values.get(MG_OIDC_CLIENT_ID);
  const email = values.get(MG_ADMIN_EMAIL);
  const password = values.get(MG_ADMIN_PASSWORD);
  const limits: AuthSettings['limits'] = {};
  const login = values.get(MG_AUTH_RATE_LIMIT_LOGIN);
  const token = values.get(MG_AUTH_RATE_LIMIT_TOKEN);
  const userCode = values.get(MG_AUTH_RATE_LIMIT_USER_CODE);
  if (login !== undefined) limits.login = login;
  if (token !== undefined) limits.token = token;
  if (userCode !== undefined) limits.userCode = userCode;
  return {
    localAccounts: (values.get(MG_LOCAL_ACCOUNTS) ?? 'on') === 'on',
    bootstrapAdmin: email && password ? { email, password } : undefined,
    oidc: issuer && clientId ? { issuer, clientId, clientSecret: values.get(MG_OIDC_CLIENT_SECRET) } : undefined,
    limits,
    revocationRefreshMs: values.get(MG_AUTH_REVOCATION_POLL_MS),
  };
}

/** Combinations no single variable's check can see. */
export function authSettingsProblems(env: Readonly<Record<string, string | undefined>>): string[] {
  const problems: string[] = [];
  if (env['MG_OIDC_ISSUER'] && !env['MG_OIDC_CLIENT_ID'])
    problems.push('MG_OIDC_ISSUER: is set but MG_OIDC_CLIENT_ID is not');
  if (Boolean(env['MG_ADMIN_EMAIL']) !== Boolean(env['MG_ADMIN_PASSWORD']))
    problems.push('MG_ADMIN_EMAIL: MG_ADMIN_EMAIL and MG_ADMIN_PASSWORD must be set together');
  return problems;
}
