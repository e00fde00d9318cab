import type { Queryable } from '@media-gateway/db';
import webPush from 'web-push';
import type { VapidKeys } from '../vapid-keys.ts';
import { PrivateAddressError, postGuarded, type Resolve } from './guarded-post.ts';
import { isPrivateLiteral } from './private-address.ts';
import { type ChannelSender, retryableStatus, type SendResult, summary } from './channel.ts';

/**
 * Web Push (RFC 8030) with an encrypted payload (RFC 8291, aes128gcm) and VAPID (RFC 8292). The
 * `web-push` library builds the request (encryption and the signed VAPID header); we send it with
 * `postGuarded`, so timeouts and retries work like the webhook's. A subscription the push service reports
 * gone (404/410) is deleted. The message counts as sent when at least one device accepted it.
 */
export function pushSender(options: {
  db: Queryable;
  keys: () => Promise<VapidKeys>;
  /** MG_ALERTS_WEBHOOK_PRIVATE: endpoints on loopback and private addresses are reached only when on. */
  allowPrivate: boolean;
  timeoutMs?: number;
  resolve?: Resolve;
}): ChannelSender {
  return {
    async send(userId, _prefs, alerts, signal): Promise<SendResult> {
      const { rows } = await options.db.query<{ endpoint: string; p256dh: string; auth: string }>(
        'SELECT endpoint, p256dh, auth FROM push_subscriptions WHERE user_id = $1',
        [userId],
      );
      if (rows.length === 0) return { ok: false, retry: false, error: 'no push subscription' };
      const keys = await options.keys();
      const { subject, text } = summary(alerts);
      const payload = JSON.stringify({
        title: subject,
        body: text,
        alerts: alerts.map((a) => ({ key: a.key, kind: a.kind, titleId: a.titleId })),
      });
      let delivered = 0;
      let retry = false;
      const errors: string[] = [];
      for (const sub of rows) {
        if (!options.allowPrivate && isPrivateLiteral(new URL(sub.endpoint).hostname)) {
          errors.push('the push endpoint points to a private address');
          continue;
        }
        let req: ReturnType<typeof webPush.generateRequestDetails>;
        try {
          req = webPush.generateRequestDetails(
            { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
            payload,
            {
              vapidDetails: { subject: keys.subject, publicKey: keys.publicKey, privateKey: keys.privateKey },
              TTL: 24 * 3600,
              contentEncoding: 'aes128gcm',
            },
          );
        } catch (error) {
          // A browser's keys that do not encrypt will never work: say so once, do not retry.
          errors.push(`the subscription's keys do not work: ${(error as Error).message}`);
          continue;
        }
        try {
          // Push services answer, they do not redirect: a redirect could lead past the private-address check.
          const status = await postGuarded(new URL(req.endpoint), {
            headers: req.headers as Record<string, string>,
            body: new Uint8Array(req.body as Buffer),
            signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs ?? 10_000)]),
            allowPrivate: options.allowPrivate,
            resolve: options.resolve,
          });
          if (status >= 200 && status < 300) delivered++;
          else if (status === 404 || status === 410) {
            await options.db.query('DELETE FROM push_subscriptions WHERE user_id = $1 AND endpoint = $2', [
              userId,
              sub.endpoint,
            ]);
            errors.push(`HTTP ${status}: subscription gone, removed`);
          } else {
            retry = retry || retryableStatus(status);
            errors.push(`HTTP ${status}`);
          }
        } catch (error) {
          if (error instanceof PrivateAddressError) errors.push('the push endpoint points to a private address');
          else {
            retry = true;
            errors.push((error as Error).message);
          }
        }
      }
      return delivered > 0 ? { ok: true } : { ok: false, retry, error: errors.join('; ') };
    },
  };
}
