import { createHash, createHmac } from 'node:crypto';
import type { Clock } from '@media-gateway/domain';
import { isPrivateHost } from './private-address.ts';
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

export function webhookSender(options: { clock: Clock; allowPrivate: boolean; timeoutMs?: number }): ChannelSender {
  return {
    async send(userId, prefs, alerts, signal): Promise<SendResult> {
      if (!prefs.webhookUrl || !prefs.webhookSecret) return { ok: false, retry: false, error: 'no webhook URL set' };
      const url = new URL(prefs.webhookUrl);
      try {
        if (!options.allowPrivate && (await isPrivateHost(url.hostname)))
          return { ok: false, retry: false, error: 'the webhook URL points to a private address' };
      } catch (error) {
        return { ok: false, retry: true, error: `DNS: ${(error as Error).message}` };
      }
      const id = eventId(userId, alerts);
      const body = JSON.stringify({ id, type: 'alerts', alerts });
      const t = Math.floor(options.clock.now() / 1000);
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'media-gateway-alerts',
            [SIGNATURE_HEADER]: signWebhook(prefs.webhookSecret, t, body),
            [EVENT_ID_HEADER]: id,
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs ?? 10_000)]),
        });
        await res.body?.cancel();
        if (res.ok) return { ok: true };
        return { ok: false, retry: retryableStatus(res.status), error: `HTTP ${res.status}` };
      } catch (error) {
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
