import { lazy, Suspense, useEffect } from 'react';
import { signIn, signOut } from './auth/oauth-pkce.ts';
import { webTokens } from './auth/token-store.ts';
import { Loading } from './components/states.tsx';
import { SearchBox } from './components/search-box.tsx';
import { CallbackPage } from './pages/callback-page.tsx';
import { HomePage } from './pages/home-page.tsx';
import { PairPage } from './pages/pair-page.tsx';
import { SearchPage } from './pages/search-page.tsx';
import { SettingsPage } from './pages/settings-page.tsx';
import { TitlePage } from './pages/title-page.tsx';
import { WatchlistPage } from './pages/watchlist-page.tsx';
import { Link, useLocation } from './router.tsx';
import { SessionProvider, useSession } from './session.tsx';
import { SyncProvider, useSync } from './sync/sync-provider.tsx';

// TV mode and the admin dashboard are separate chunks: most visits need neither.
const TvApp = lazy(() => import('./tv/tv-app.tsx').then((m) => ({ default: m.TvApp })));
const DashboardPage = lazy(() => import('./pages/dashboard-page.tsx').then((m) => ({ default: m.DashboardPage })));

export function App() {
  const { path } = useLocation();
  if (path === '/tv' || path.startsWith('/tv/')) {
    return (
      <Suspense fallback={<Loading what="TV mode" />}>
        <TvApp />
      </Suspense>
    );
  }
  return (
    <SessionProvider>
      <WebSync>
        <Shell />
      </WebSync>
    </SessionProvider>
  );
}

function WebSync({ children }: { children: React.ReactNode }) {
  const { user } = useSession();
  return (
    <SyncProvider store={webTokens} signedIn={Boolean(user)} type="web">
      {children}
    </SyncProvider>
  );
}

function Shell() {
  const { path, query } = useLocation();
  const { user } = useSession();
  const sync = useSync();
  useEffect(() => {
    document.title = 'Media Gateway';
  }, []);
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="site-header">
        <Link href="/" className="brand">
          Media Gateway
        </Link>
        <SearchBox initial={path === '/search' ? (query.get('q') ?? '') : ''} />
        <nav aria-label="Main">
          <Link href="/watchlist">Watchlist</Link>
          <Link href="/settings">Settings</Link>
          {user?.isAdmin && user.scopes.includes('admin') && <Link href="/dashboard">Dashboard</Link>}
          <a href="/tv">TV mode</a>
          {user === null && (
            <button type="button" onClick={() => void signIn()}>
              Sign in
            </button>
          )}
          {user && (
            <>
              <span className="who" title={`Sync: ${sync.status}`}>
                <span className={`dot dot-${sync.status}`} aria-hidden="true" /> {user.displayName ?? user.email}
                <span className="visually-hidden"> (sync {sync.status})</span>
              </span>
              <button type="button" onClick={() => void signOut()}>
                Sign out
              </button>
            </>
          )}
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <Route path={path} />
      </main>
      <footer className="site-footer">
        <a href="/api/openapi.json">API</a> · <a href="/healthz">Health</a>
      </footer>
    </>
  );
}

function Route({ path }: { path: string }) {
  if (path === '/') return <HomePage />;
  if (path === '/search') return <SearchPage />;
  if (path.startsWith('/title/')) return <TitlePage id={decodeURIComponent(path.slice('/title/'.length))} />;
  if (path === '/watchlist') return <WatchlistPage />;
  if (path === '/settings') return <SettingsPage />;
  if (path === '/pair') return <PairPage />;
  if (path === '/app/callback') return <CallbackPage />;
  if (path === '/dashboard')
    return (
      <Suspense fallback={<Loading what="the dashboard" />}>
        <DashboardPage />
      </Suspense>
    );
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is nothing at <code>{path}</code>. <Link href="/">Go to the start page</Link>.
      </p>
    </section>
  );
}
