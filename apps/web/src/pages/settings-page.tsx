import { AlertsPanel } from '../components/alerts-panel.tsx';
import { DownloadMyData } from '../components/download-my-data.tsx';
import { ImportPanel } from '../components/import-panel.tsx';
import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../api/api-client.ts';
import type { Device, UserSettings } from '../api/types.ts';
import { signIn, signOut } from '../auth/oauth-pkce.ts';
import { platforms } from '../components/platforms.ts';
import { Empty, ErrorState, Loading } from '../components/states.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { useAsync } from '../use-async.ts';

export function SettingsPage() {
  const { user, settings } = useSession();
  useEffect(() => {
    document.title = 'Settings · Media Gateway';
  }, []);
  if (user === undefined) return <Loading what="your settings" />;
  if (user === null) {
    return (
      <Empty title="Sign in to choose your region and services.">
        <button type="button" onClick={() => void signIn('/settings')}>
          Sign in
        </button>
      </Empty>
    );
  }
  return (
    <div className="narrow">
      <h1>Settings</h1>
      <p>
        Signed in as <strong>{user.displayName ?? user.email}</strong>
        {user.isAdmin ? ' (administrator)' : ''}.
      </p>
      {settings ? <RegionAndServices initial={settings} /> : <Loading what="your settings" />}
      <Devices />
      <AlertsPanel />
      <ImportPanel />
      <DownloadMyData />
      <section aria-labelledby="out-h">
        <h2 id="out-h">Sign out</h2>
        <button type="button" onClick={() => void signOut()}>
          Sign out on this browser
        </button>{' '}
        <a href="/auth/account">Sign out everywhere (account page)</a>
      </section>
    </div>
  );
}

function RegionAndServices({ initial }: { initial: UserSettings }) {
  const { setSettings } = useSession();
  const all = useAsync(() => platforms(), []);
  const [region, setRegion] = useState(initial.region);
  const [services, setServices] = useState<string[]>(initial.services);
  const [msg, setMsg] = useState('');
  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const saved = await api<UserSettings>('/api/me/settings', {
        method: 'PUT',
        body: { region: region.trim(), services },
      });
      setSettings(saved);
      setMsg('Saved. Search, recommendations and availability badges now use these.');
    } catch (err) {
      setMsg(`Not saved: ${(err as Error).message}`);
    }
  };
  const list = [...(all.data?.values() ?? [])];
  return (
    <form onSubmit={save} aria-labelledby="svc-h">
      <h2 id="svc-h">Region and services</h2>
      <label htmlFor="region">Region (two-letter country code)</label>
      <input
        id="region"
        value={region}
        onChange={(e) => setRegion(e.target.value.toUpperCase())}
        maxLength={2}
        pattern="[A-Za-z]{2}"
        required
      />
      <fieldset>
        <legend>My services</legend>
        {all.error && <ErrorState error={all.error} what="the list of services" />}
        <div className="checks">
          {list.map((p) => (
            <label key={p.id}>
              <input
                type="checkbox"
                checked={services.includes(p.id)}
                onChange={(e) => setServices((s) => (e.target.checked ? [...s, p.id] : s.filter((x) => x !== p.id)))}
              />{' '}
              {p.name}
            </label>
          ))}
        </div>
      </fieldset>
      <button type="submit">Save</button>
      <p role="status" aria-live="polite">
        {msg}
      </p>
    </form>
  );
}

function Devices() {
  const devices = useAsync((signal) => api<{ devices: Device[] }>('/api/devices', { signal }), []);
  return (
    <section aria-labelledby="dev-h">
      <h2 id="dev-h">Devices</h2>
      <p>
        <Link href="/pair">Pair a TV or terminal with a code</Link>
      </p>
      {devices.error && <ErrorState error={devices.error} retry={devices.reload} what="your devices" />}
      {devices.data && devices.data.devices.length === 0 && (
        <p>No devices yet. Each browser, TV and CLI you sign in on appears here.</p>
      )}
      <ul className="devices">
        {devices.data?.devices.map((d) => (
          <li key={d.id}>
            <strong>{d.name}</strong> <span className="muted">({d.type})</span>{' '}
            {d.online ? (
              <span className="badge badge-mine">online</span>
            ) : (
              <span className="muted">last seen {d.lastSeen ? new Date(d.lastSeen).toLocaleString() : 'never'}</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
