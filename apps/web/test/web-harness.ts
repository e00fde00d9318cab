import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type AuthServer, createTokenService } from '@media-gateway/auth';
import { ingest, sampleSource } from '@media-gateway/catalog';
import { noopLogger } from '@media-gateway/domain';
import { type BackendName, freshDb, IS_CI, testBackends } from '@media-gateway/testkit';
import type { FastifyInstance } from 'fastify';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { buildApp } from '../../gateway/src/app.ts';
import { loadConfig } from '../../gateway/src/config.ts';
import { contextFor } from '../../gateway/src/compose.ts';
import type { AppContext } from '../../gateway/src/context.ts';
import type { FetchLike } from '../../gateway/src/images/image-fetch.ts';

const WEB_DIR = fileURLToPath(new URL('..', import.meta.url));
const REPO = join(WEB_DIR, '..', '..');
export const ARTIFACTS = join(REPO, 'test-artifacts', 'web');
export const CHROMIUM = process.env['MG_CHROMIUM'] ?? '/usr/bin/chromium';
export const ADMIN = { email: 'admin@example.com', password: 'correct-horse-battery-staple' };
/** A signed-up person without admin rights; `addViewer` creates them on a suite's gateway. */
export const VIEWER = { email: 'viewer@example.com', password: 'viewer-password-123' };
export async function addViewer(gw: WebGateway): Promise<void> {
  await gw.auth.users.createLocalUser({ ...VIEWER, displayName: 'Vera Viewer' });
}

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

/** Builds apps/web/dist when it is missing or older than the sources, so tests never run a stale app. */
export function ensureBuilt(): void {
  const index = join(WEB_DIR, 'dist', 'index.html');
  // Sources, the build scripts (the PWA plugin, icons) and the service worker all shape dist/.
  const inputs = () =>
    Math.max(
      newest(join(WEB_DIR, 'src')),
      newest(join(WEB_DIR, 'scripts')),
      newest(join(WEB_DIR, 'pwa')),
      statSync(join(WEB_DIR, 'index.html')).mtimeMs,
      statSync(join(WEB_DIR, 'vite.config.ts')).mtimeMs,
    );
  const fresh = () => existsSync(index) && statSync(index).mtimeMs >= inputs();
  if (fresh()) return;
  // Test files run in parallel and a build empties dist/: one builder at a time (mkdir is atomic).
  const lock = join(WEB_DIR, 'dist.lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline || Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 120_000)
        rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    if (fresh()) return;
    const r = spawnSync(process.execPath, [join(WEB_DIR, 'scripts', 'build-web.mjs'), '--strict'], {
      stdio: 'inherit',
    });
    if (r.status !== 0) throw new Error('vite build failed');
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * A skip reason when Debian's Chromium is absent (a failure in CI, where .ci/run installs it), or
 * when the run says so with MG_TEST_BROWSER=skip: CI drives the browser suites once, in its Node 20
 * step, and leaves them out of the moved-clock and Node 24 runs, where they would repeat the same
 * pages in the same Chromium (the skip is counted and named in the report, never silent).
 */
export function browserSkip(): string | undefined {
  if (process.env['MG_TEST_BROWSER'] === 'skip') return 'MG_TEST_BROWSER=skip (browser suites ran in another step)';
  if (existsSync(CHROMIUM)) return undefined;
  if (IS_CI) throw new Error(`CI needs Chromium at ${CHROMIUM} (apt-get install chromium)`);
  return `Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`;
}

export function launchBrowser(): Promise<Browser> {
  // Flags from STACK.md §10: no sandbox in containers, no GPU, nothing that phones home.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-default-apps',
      '--disable-extensions',
    ],
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface WebGateway {
  url: string;
  app: FastifyInstance;
  ctx: AppContext;
  auth: AuthServer;
  close(): Promise<void>;
}

/**
 * A real gateway over HTTP on a random port, with the sample catalog and an administrator. The
 * public URL must be known before the app is built (it is the OAuth issuer and mg-web's redirect).
 */
export async function startWebGateway(
  backend: BackendName,
  env: Record<string, string> = {},
  /** `fetch`: how the image proxy reaches image hosts (a local fake in tests). */
  parts: { fetch?: FetchLike; emptyCatalog?: boolean } = {},
): Promise<WebGateway> {
  const db = await freshDb(backend);
  if (!parts.emptyCatalog) await ingest({ db, source: sampleSource() });
  const port = await freePort();
  const config = loadConfig(
    {
      MG_PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'silent',
      MG_API_RATE_LIMIT: '0',
      MG_API_RATE_LIMIT_ANONYMOUS: '0',
      MG_ADMIN_EMAIL: ADMIN.email,
      MG_ADMIN_PASSWORD: ADMIN.password,
      MG_SEARCH_INDEX: 'memory',
      ...env,
    },
    { port, host: '127.0.0.1' },
  );
  const tokens = await createTokenService(db, { issuer: config.publicUrl });
  const ctx = contextFor({ config, db, logger: noopLogger, tokens, ...(parts.fetch ? { fetch: parts.fetch } : {}) });
  const app = await buildApp(ctx);
  await app.listen({ port, host: '127.0.0.1' });
  const auth = await ctx.services.auth();
  return { url: config.publicUrl, app, ctx, auth, close: () => app.close() };
}

export const SIZES = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 800 },
  tv: { width: 1920, height: 1080 },
} as const;

/** Saves a screenshot under test-artifacts/web (git-ignored) on every run. */
export async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
}

/** Signs in through the real flow: app → /oauth/authorize → /auth/login form → /app/callback → app. */
export async function signIn(
  context: BrowserContext,
  base: string,
  who: { email: string; password: string },
  startPath = '/',
): Promise<Page> {
  const page = await context.newPage();
  await page.goto(base + startPath);
  await page.getByRole('button', { name: 'Sign in', exact: true }).first().click();
  await page.waitForURL(/\/auth\/login/);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).first().waitFor({ timeout: 20_000 });
  return page;
}

export interface GatewayOptions {
  env?: Record<string, string>;
  fetch?: FetchLike;
  /** Start without the sample catalog (nothing ingested). */
  emptyCatalog?: boolean;
}

/** What a browser suite's tests use: the gateway and Chromium of their backend, ready once `before` ran. */
export interface BrowserRig {
  readonly backend: BackendName;
  gw: WebGateway;
  browser: Browser;
}

/**
 * One `describe` per backend around a real gateway and a real Chromium: builds the web app, starts
 * the gateway (`gateway` options: env and image fetch), runs `setup` on it, launches Chromium, and
 * closes both afterwards. `body` registers the tests (and any hooks of its own) on `rig`.
 */
export function browserSuite(
  name: string,
  options: {
    timeout?: number;
    /** How to start the gateway: env and the image proxy's fetch (a function when made in `before`). */
    gateway?: () => Promise<GatewayOptions> | GatewayOptions;
    setup?: (rig: BrowserRig) => Promise<void>;
    teardown?: () => Promise<void>;
  },
  body: (rig: BrowserRig) => void,
): void {
  const skip = browserSkip();
  for (const backend of testBackends()) {
    describe(`${name} (${backend})`, { skip, timeout: options.timeout ?? 180_000 }, () => {
      const rig = { backend } as BrowserRig;
      before(async () => {
        ensureBuilt();
        const parts = (await options.gateway?.()) ?? {};
        rig.gw = await startWebGateway(backend, parts.env, {
          ...(parts.fetch ? { fetch: parts.fetch } : {}),
          ...(parts.emptyCatalog ? { emptyCatalog: true } : {}),
        });
        await options.setup?.(rig);
        rig.browser = await launchBrowser();
      });
      after(async () => {
        await rig.browser?.close();
        await rig.gw?.close();
        await options.teardown?.();
      });
      body(rig);
    });
  }
}
