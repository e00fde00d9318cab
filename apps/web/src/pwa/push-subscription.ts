import { api } from '../api/api-client.ts';

/** base64url (the VAPID key's form) → the bytes PushManager.subscribe wants. */
function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = base64url
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  const raw = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/**
 * Subscribes this browser to Web Push alerts through the service worker and registers the
 * subscription with the gateway (POST /api/me/push-subscriptions; decision 0120). Resolves with a
 * sentence for the person when the browser cannot (no worker, permission refused).
 */
export async function subscribeToPush(): Promise<string | undefined> {
  if (!('serviceWorker' in navigator) || !('PushManager' in window))
    return 'This browser cannot receive push notifications.';
  if ((await Notification.requestPermission()) !== 'granted')
    return 'Notifications are blocked for this site in the browser.';
  const registration = await navigator.serviceWorker.ready;
  const { publicKey } = await api<{ publicKey: string }>('/api/push/vapid-public-key');
  const subscription =
    (await registration.pushManager.getSubscription()) ??
    (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) }));
  await api('/api/me/push-subscriptions', { method: 'POST', body: subscription.toJSON() });
  return undefined;
}
