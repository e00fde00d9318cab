// Measures where `serve` spends its start-up time: imports, storage + migrations, sample load, routes.
// Usage: npx tsx scripts/startup-profile.ts (uses a fresh temporary data directory).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const t0 = performance.now();
const mark = (label: string) => console.log(`${label}: ${Math.round(performance.now() - t0)} ms`);
const gateway = await import('@media-gateway/gateway');
const catalog = await import('@media-gateway/catalog');
const { noopLogger } = await import('@media-gateway/domain');
mark('imports');
const dataDir = await mkdtemp(join(tmpdir(), 'mg-startup-'));
const config = gateway.loadConfig({ MG_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, { port: 0, host: '127.0.0.1' });
const ctx = await gateway.createContext(config, noopLogger);
mark('storage + migrations');
await catalog.loadSampleIfEmpty(ctx.db);
mark('sample catalog');
const app = await gateway.buildApp(ctx);
mark('routes');
await app.listen({ port: 0, host: '127.0.0.1' });
mark('listening');
await app.close();
