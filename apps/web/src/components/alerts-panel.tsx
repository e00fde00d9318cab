import { type FormEvent, useEffect, useState } from 'react';
import type { NotificationList as NotificationListBody } from '@media-gateway/domain/contracts';
import { api } from '../api/api-client.ts';
import { useSync } from '../sync/sync-provider.tsx';
import { subscribeToPush } from '../pwa/push-subscription.ts';
import { Link } from '../router.tsx';
import { useAsync } from '../use-async.ts';

interface AlertChoices {
  kinds: string[];
  channels: string[];
  anywhereInRegion: boolean;
  quietHours: { start: string; end: string } | null;
  timeZone: string;
  digest: 'immediate' | 'daily';
  email: string | null;
  webhookUrl: string | null;
  webhookSecret: string | null;
  feedToken: string | null;
  /** The channels this server can deliver (email only when it has a mail server). */
  availableChannels?: string[];
}

type Notification = NotificationListBody['items'][number];

const KINDS: Array<[string, string]> = [
  ['available', 'A watchlist title becomes available on my services'],
  ['leaving', 'A watchlist title is leaving a service (when the source gives the date)'],
  ['price_drop', 'A rent or buy price drops'],
];
const CHANNELS: Array<[string, string]> = [
  ['inapp', 'In the app'],
  ['email', 'Email'],
  ['webhook', 'Webhook'],
  ['push', 'Browser notifications'],
];

const toggle = (list: string[], value: string, on: boolean) =>
  on ? [...new Set([...list, value])] : list.filter((v) => v !== value);

/**
 * Settings: what to be told about (GET/PUT /api/me/alerts, decision 0120), and the notification
 * centre (GET /api/me/notifications), which new alerts join live over /sync.
 */
export function AlertsPanel() {
  const loaded = useAsync(() => api<AlertChoices>('/api/me/alerts'), []);
  const [choices, setChoices] = useState<AlertChoices | undefined>();
  const [msg, setMsg] = useState('');
  useEffect(() => {
    if (loaded.data) setChoices(loaded.data);
  }, [loaded.data]);
  if (loaded.error) return <p role="alert">Alerts are not available: {loaded.error.message}</p>;
  if (!choices) return null;
  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const { kinds, anywhereInRegion, quietHours, timeZone, digest, email, webhookUrl, availableChannels } = choices;
      // A channel saved when the server could deliver it (email before its mail server was removed) is not offered
      // any more, so it cannot be unticked: it is left out, or every save would be refused.
      const channels = choices.channels.filter((c) => !availableChannels || availableChannels.includes(c));
      const body = { kinds, channels, anywhereInRegion, quietHours, timeZone, digest, email, webhookUrl };
      setChoices(await api<AlertChoices>('/api/me/alerts', { method: 'PUT', body }));
      // Browser notifications need this browser subscribed through its service worker.
      const pushProblem = channels.includes('push')
        ? await subscribeToPush().catch((e: Error) => e.message)
        : undefined;
      setMsg(pushProblem ? `Saved, but browser notifications are off here: ${pushProblem}` : 'Saved.');
    } catch (err) {
      setMsg(`Not saved: ${(err as Error).message}`);
    }
  };
  const set = (patch: Partial<AlertChoices>) => setChoices({ ...choices, ...patch });
  return (
    <section aria-labelledby="alerts-h">
      <h2 id="alerts-h">Alerts</h2>
      <form onSubmit={save} data-testid="alerts-form">
        <fieldset>
          <legend>Tell me when</legend>
          {KINDS.map(([kind, label]) => (
            <label key={kind} className="check">
              <input
                type="checkbox"
                checked={choices.kinds.includes(kind)}
                onChange={(e) => set({ kinds: toggle(choices.kinds, kind, e.target.checked) })}
              />{' '}
              {label}
            </label>
          ))}
          <label className="check">
            <input
              type="checkbox"
              checked={choices.anywhereInRegion}
              onChange={(e) => set({ anywhereInRegion: e.target.checked })}
            />{' '}
            Also when it arrives on a service I do not have
          </label>
        </fieldset>
        <fieldset>
          <legend>How</legend>
          {CHANNELS.filter(
            ([channel]) => !choices.availableChannels || choices.availableChannels.includes(channel),
          ).map(([channel, label]) => (
            <label key={channel} className="check">
              <input
                type="checkbox"
                checked={choices.channels.includes(channel)}
                onChange={(e) => set({ channels: toggle(choices.channels, channel, e.target.checked) })}
              />{' '}
              {label}
            </label>
          ))}
          {(!choices.availableChannels || choices.availableChannels.includes('email')) && (
            <>
              <label htmlFor="alert-email">Email address</label>
              <input
                id="alert-email"
                type="email"
                value={choices.email ?? ''}
                onChange={(e) => set({ email: e.target.value || null })}
              />
            </>
          )}
          <label htmlFor="alert-webhook">Webhook URL</label>
          <input
            id="alert-webhook"
            type="url"
            value={choices.webhookUrl ?? ''}
            onChange={(e) => set({ webhookUrl: e.target.value || null })}
          />
          {choices.webhookSecret && (
            <p>
              Signing secret: <code>{choices.webhookSecret}</code>
            </p>
          )}
          <label className="check">
            <input
              type="checkbox"
              checked={choices.digest === 'daily'}
              onChange={(e) => set({ digest: e.target.checked ? 'daily' : 'immediate' })}
            />{' '}
            One daily digest instead of one message per alert
          </label>
        </fieldset>
        <button type="submit">Save alerts</button> {msg && <span role="status">{msg}</span>}
      </form>
      <NotificationList />
    </section>
  );
}

function loadNotifications(set: (items: Notification[]) => void): void {
  void api<{ items: Notification[] }>('/api/me/notifications?limit=20')
    .then((r) => set(r.items))
    .catch(() => set([]));
}

function NotificationList() {
  const { client } = useSync();
  const [items, setItems] = useState<Notification[] | undefined>();
  useEffect(() => loadNotifications(setItems), []);
  // A new alert arrives over /sync (W8): show it at once.
  useEffect(() => client?.on('notification', () => loadNotifications(setItems)), [client]);
  const readAll = async () => {
    await api('/api/me/notifications/read-all', { method: 'POST' });
    loadNotifications(setItems);
  };
  if (!items) return null;
  return (
    <div data-testid="notifications">
      <h3>Notifications</h3>
      {items.length === 0 ? (
        <p>No notifications yet.</p>
      ) : (
        <>
          <ul>
            {items.map((n) => (
              <li key={n.id} className={n.readAt ? 'read' : 'unread'}>
                {n.titleId ? <Link href={`/title/${n.titleId}`}>{n.subject}</Link> : n.subject} — {n.body}{' '}
                <time dateTime={n.createdAt}>{new Date(n.createdAt).toLocaleString()}</time>
              </li>
            ))}
          </ul>
          <button type="button" onClick={() => void readAll()}>
            Mark all read
          </button>
        </>
      )}
    </div>
  );
}
