import type { Queryable } from '@media-gateway/db';
import webPush from 'web-push';
import type { AlertsConfig } from './alert-config.ts';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  subject: string;
}

/**
 * The VAPID key pair push services know this server by. From MG_VAPID_PUBLIC_KEY/_PRIVATE_KEY when
 * set; otherwise generated once and kept in `auth_secrets`, so every replica and every restart uses
 * the same pair (a new pair would orphan every browser subscription). Concurrent first starts race
 * on the insert; the first pair stored wins and everyone reads it back.
 */
export async function vapidKeys(db: Queryable, config: AlertsConfig, publicUrl: string): Promise<VapidKeys> {
  // Push services require an https: or mailto: contact; a plain-http public URL cannot be one.
  const subject = config.vapid.subject ?? (publicUrl.startsWith('https:') ? publicUrl : 'mailto:alerts@localhost');
  if (config.vapid.publicKey && config.vapid.privateKey)
    return { publicKey: config.vapid.publicKey, privateKey: config.vapid.privateKey, subject };
  const fresh = webPush.generateVAPIDKeys();
  await db.query(`INSERT INTO auth_secrets (name, value) VALUES ('vapid_keys', $1) ON CONFLICT (name) DO NOTHING`, [
    JSON.stringify(fresh),
  ]);
  const { rows } = await db.query<{ value: string }>(`SELECT value FROM auth_secrets WHERE name = 'vapid_keys'`);
  const stored = JSON.parse(rows[0]!.value) as { publicKey: string; privateKey: string };
  return { ...stored, subject };
}
