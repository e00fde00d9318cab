import { parse, type Setting, type SettingValues, setting } from '@media-gateway/domain';

const MG_ALERTS_TICK_SECONDS = setting(
  'MG_ALERTS_TICK_SECONDS',
  parse.int(1, 3600),
  'availability alerts: how often the worker reads new catalog changes and sends due alerts',
  '`30`',
);
const MG_ALERTS_SMTP_URL = setting(
  'MG_ALERTS_SMTP_URL',
  parse.url,
  'availability alerts by email: SMTP server (`smtp://user:pass@host:587`, ' +
    '`smtps://…` for TLS); unset = no email channel',
);
const MG_ALERTS_EMAIL_FROM = setting(
  'MG_ALERTS_EMAIL_FROM',
  parse.text,
  'the From address of alert emails',
  '`Media Gateway <alerts@localhost>`',
);
const MG_VAPID_PUBLIC_KEY = setting(
  'MG_VAPID_PUBLIC_KEY',
  parse.text,
  'Web Push VAPID public key (base64url); unset = a key pair is generated once and kept in the database',
);
const MG_VAPID_PRIVATE_KEY = setting(
  'MG_VAPID_PRIVATE_KEY',
  parse.text,
  'Web Push VAPID private key (base64url), with MG_VAPID_PUBLIC_KEY',
);
const MG_VAPID_SUBJECT = setting(
  'MG_VAPID_SUBJECT',
  parse.text,
  'Web Push VAPID subject: a `mailto:` or `https:` contact for push services',
  'MG_PUBLIC_URL when https, else `mailto:alerts@localhost`',
);
const MG_ALERTS_WEBHOOK_PRIVATE = setting(
  'MG_ALERTS_WEBHOOK_PRIVATE',
  parse.onOff,
  '`on` lets alert webhooks reach loopback and private addresses (off: ' +
    'people cannot make the gateway call into its own network)',
  '`off`',
);

/** The alert engine's environment variables (validated and documented with the gateway's). */
export const ALERT_SETTINGS: Setting[] = [
  MG_ALERTS_TICK_SECONDS,
  MG_ALERTS_SMTP_URL,
  MG_ALERTS_EMAIL_FROM,
  MG_VAPID_PUBLIC_KEY,
  MG_VAPID_PRIVATE_KEY,
  MG_VAPID_SUBJECT,
  MG_ALERTS_WEBHOOK_PRIVATE,
];

export interface AlertsConfig {
  tickSeconds: number;
  smtpUrl: string | undefined;
  emailFrom: string;
  vapid: { publicKey: string | undefined; privateKey: string | undefined; subject: string | undefined };
  webhookAllowPrivate: boolean;
}

/** Settings that only work together. */
export function alertSettingsProblems(env: Readonly<Record<string, string | undefined>>): string[] {
  if (Boolean(env['MG_VAPID_PUBLIC_KEY']) !== Boolean(env['MG_VAPID_PRIVATE_KEY']))
    return ['MG_VAPID_PRIVATE_KEY: MG_VAPID_PUBLIC_KEY and MG_VAPID_PRIVATE_KEY must be set together'];
  return [];
}

export function alertsConfig(values: SettingValues): AlertsConfig {
  return {
    tickSeconds: values.get(MG_ALERTS_TICK_SECONDS) ?? 30,
    smtpUrl: values.get(MG_ALERTS_SMTP_URL),
    emailFrom: values.get(MG_ALERTS_EMAIL_FROM) ?? 'Media Gateway <alerts@localhost>',
    vapid: {
      publicKey: values.get(MG_VAPID_PUBLIC_KEY),
      privateKey: values.get(MG_VAPID_PRIVATE_KEY),
      subject: values.get(MG_VAPID_SUBJECT),
    },
    webhookAllowPrivate: values.get(MG_ALERTS_WEBHOOK_PRIVATE) === 'on',
  };
}
