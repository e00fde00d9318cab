import type { AlertPreferences } from '../alert-preferences.ts';

/** One alert as it leaves the gateway (the `payload` column of alert_deliveries). */
export interface OutgoingAlert {
  key: string;
  kind: string;
  titleId: string;
  subject: string;
  body: string;
  data: Record<string, string | number | null>;
  createdAt: string;
}

/** `retry`: a transient failure (5xx, timeout, network); otherwise the delivery gives up at once. */
export type SendResult = { ok: true } | { ok: false; retry: boolean; error: string };

/**
 * A channel sends one message per person carrying one alert, or several (a digest, or alerts that
 * became due together when quiet hours ended).
 */
export interface ChannelSender {
  send(userId: string, prefs: AlertPreferences, alerts: OutgoingAlert[], signal: AbortSignal): Promise<SendResult>;
}

/** Subject line and plain-text body shared by email and push. */
export function summary(alerts: OutgoingAlert[]): { subject: string; text: string } {
  if (alerts.length === 1) return { subject: alerts[0]!.subject, text: alerts[0]!.body };
  return {
    subject: `${alerts.length} updates on your watchlist`,
    text: alerts.map((a) => `• ${a.body}`).join('\n'),
  };
}

/** HTTP statuses worth trying again: server errors, 408 and 429. */
export const retryableStatus = (status: number) => status >= 500 || status === 408 || status === 429;
