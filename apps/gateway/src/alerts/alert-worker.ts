import type { Logger } from '@media-gateway/domain';
import type { AppContext } from '../context.ts';
import { AlertEngine, type AlertEngineOptions } from './alert-engine.ts';
import type { AlertChannel } from './alert-preferences.ts';
import type { ChannelSender } from './channels/channel.ts';
import { emailSender } from './channels/email-sender.ts';
import { inappSender } from './channels/inapp-sender.ts';
import { pushSender } from './channels/push-sender.ts';
import { webhookSender } from './channels/webhook-sender.ts';
import { vapidKeys } from './vapid-keys.ts';

/** The engine with every channel this server is configured for (email only with MG_ALERTS_SMTP_URL). */
export function createAlertEngine(
  ctx: AppContext,
  overrides: Partial<Omit<AlertEngineOptions, 'db' | 'clock' | 'senders'>> = {},
): AlertEngine {
  const { config } = ctx;
  const senders: Partial<Record<AlertChannel, ChannelSender>> = {
    inapp: inappSender({ db: ctx.db, notify: async (userId, n) => (await ctx.services.sync()).notify(userId, n) }),
    webhook: webhookSender({ clock: ctx.clock, allowPrivate: config.alerts.webhookAllowPrivate }),
    push: pushSender({
      db: ctx.db,
      keys: () => vapidKeys(ctx.db, config.alerts, config.publicUrl),
      allowPrivate: config.alerts.webhookAllowPrivate,
    }),
  };
  if (config.alerts.smtpUrl) {
    const email = emailSender({ smtpUrl: config.alerts.smtpUrl, from: config.alerts.emailFrom });
    senders.email = email;
    ctx.onClose.push(() => email.close());
  }
  return new AlertEngine({
    db: ctx.db,
    clock: ctx.clock,
    logger: ctx.logger.child({ component: 'alerts' }),
    senders,
    onDelivery: ctx.services.metrics.alertDelivery,
    ...overrides,
  });
}

export interface AlertWorker {
  stop(): Promise<void>;
}

/** Runs the engine every MG_ALERTS_TICK_SECONDS; started with the rest of the scheduled work (worker lease). */
export function startAlertWorker(ctx: AppContext, logger: Logger): AlertWorker {
  const engine = createAlertEngine(ctx);
  const abort = new AbortController();
  let running: Promise<unknown> | undefined;
  const tick = () => {
    running ??= engine
      .tick(abort.signal)
      .catch((error) => logger.error({ err: error, component: 'alerts' }, 'alert pass failed; the next one retries'))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, ctx.config.alerts.tickSeconds * 1000);
  timer.unref();
  tick();
  return {
    async stop() {
      clearInterval(timer);
      abort.abort();
      await running;
    },
  };
}
