import { createHash, createHmac } from 'node:crypto';
import type { Clock } from '@media-gateway/domain';
import { PrivateAddressError, postGuarded, type Resolve } from './guarded-post.ts';
import { type ChannelSender, type OutgoingAlert, retryableStatus, type SendResult } from './channel.ts';

export const SIGNATURE_HEADER = 'x-mg-signature';
export const EVENT_ID_HEADER = 'x-mg-event-id';

/**
 * The signature scheme (like Stripe's): header `X-MG-Signature: t=<unix seconds>,v1=<hex>` where
 * hex = HMAC-SHA256(secret, "<t>.<raw body>"). A receiver recomputes it over the raw body, compares
 * in constant time, and rejects timestamps older than a few minutes (replay). `X-MG-Event-Id` is the
 * same for every retry of one message, so a receiver can drop duplicates.
 */
export function signWebhook(secret: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}

export function webhookSender(options: {
  clock: Clock;
  allowPrivate: boolean;
  timeoutMs?: number;
  resolve?: Resolve;
}): ChannelSender {
  return {
    async send(userId, prefs, alerts, signal): Promise<SendResult> {
      if (!prefs.webhookUrl || !prefs.webhookSecret) return { ok: false, retry: false, error: 'no webhook URL set' };
      const url = new URL(prefs.webhookUrl);
      const id = eventId(userId, alerts);
      const body = JSON.stringify({ id, type: 'alerts', alerts });
      const t = Math.floor(options.clock.now() / 1000);
      try {
        const status = await postGuarded(url, {
          headers: {
            'content-type': 'application/json',
            'user-agent': 'media-gateway-alerts',
            [SIGNATURE_HEADER]: signWebhook(prefs.webhookSecret, t, body),
            [EVENT_ID_HEADER]: id,
          },
          body,
          signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs ?? 10_000)]),
          allowPrivate: options.allowPrivate,
          resolve: options.resolve,
        });
        if (status >= 200 && status < 300) return { ok: true };
        return { ok: false, retry: retryableStatus(status), error: `HTTP ${status}` };
      } catch (error) {
        if (error instanceof PrivateAddressError)
          return { ok: false, retry: false, error: 'the webhook URL points to a private address' };
        return { ok: false, retry: true, error: (error as Error).message };
      }
    },
  };
}

/** Stable across retries: derived from the person and the alerts the message carries. */
function eventId(userId: string, alerts: OutgoingAlert[]): string {
  const h = createHash('sha256').update(userId);
  for (const key of alerts.map((a) => a.key).sort()) h.update(`\n${key}`);
  return `evt_${h.digest('base64url').slice(0, 24)}`;
}
