import { createTransport } from 'nodemailer';
import { type ChannelSender, type SendResult, summary } from './channel.ts';

/**
 * Email through the SMTP server in MG_ALERTS_SMTP_URL. A 4xx SMTP reply (mailbox busy, greylisting)
 * and connection problems are retried; 5xx replies (no such mailbox) are final.
 */
export function emailSender(options: { smtpUrl: string; from: string }): ChannelSender & { close(): void } {
  const transport = createTransport(options.smtpUrl);
  return {
    async send(_userId, prefs, alerts): Promise<SendResult> {
      if (!prefs.email) return { ok: false, retry: false, error: 'no email address set' };
      const { subject, text } = summary(alerts);
      try {
        await transport.sendMail({
          from: options.from,
          to: prefs.email,
          subject,
          text: `${text}\n\n—\nYou get this because you turned on availability alerts in Media Gateway.`,
          headers: { 'X-MG-Alert-Keys': alerts.map((a) => a.key).join(' ') },
        });
        return { ok: true };
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        return { ok: false, retry: code === undefined || code < 500, error: (error as Error).message };
      }
    },
    close: () => transport.close(),
  };
}
