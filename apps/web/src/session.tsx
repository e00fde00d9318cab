import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { api } from './api/api-client.ts';
import type { UserInfo, UserSettings } from './api/types.ts';
import { activeStore, onTokensChange } from './auth/token-store.ts';

export interface Session {
  /** undefined while loading; null when signed out. */
  user: UserInfo | null | undefined;
  settings: UserSettings | undefined;
  setSettings(s: UserSettings): void;
  refresh(): void;
}

const SessionContext = createContext<Session>({
  user: undefined,
  settings: undefined,
  setSettings: () => {},
  refresh: () => {},
});

/** Who is signed in (from /auth/userinfo) and their region and services (/api/me/settings). */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<UserInfo | null | undefined>(undefined);
  const [settings, setSettings] = useState<UserSettings | undefined>(undefined);
  const [tick, setTick] = useState(0);
  useEffect(() => onTokensChange(() => setTick((n) => n + 1)), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: tick is the reload trigger
  useEffect(() => {
    if (!activeStore().get()) {
      setUser(null);
      setSettings(undefined);
      return;
    }
    let live = true;
    Promise.all([api<UserInfo>('/auth/userinfo'), api<UserSettings>('/api/me/settings')]).then(
      ([u, s]) => {
        if (!live) return;
        setUser(u);
        setSettings(s);
      },
      () => {
        if (!live) return;
        setUser(null);
        setSettings(undefined);
      },
    );
    return () => {
      live = false;
    };
  }, [tick]);
  return (
    <SessionContext.Provider value={{ user, settings, setSettings, refresh: () => setTick((n) => n + 1) }}>
      {children}
    </SessionContext.Provider>
  );
}

export function useSession(): Session {
  return useContext(SessionContext);
}
