import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { pwaPlugin } from './scripts/pwa-plugin.ts';

// The gateway serves dist/ itself (apps/gateway/src/routes/web-static.ts), so there is no second
// server in production. `npm run dev -w apps/web` proxies the API to a gateway on :3000.
const gateway = process.env['MG_GATEWAY_URL'] ?? 'http://localhost:3000';

export default defineConfig({
  // The PWA files (icons, manifest, sw.js with the precache list) are generated at build (decision 0108).
  plugins: [react(), pwaPlugin()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // First load must stay ≤ 250 kB gzipped JS: heavy, rarely needed parts are split by route.
    chunkSizeWarningLimit: 400,
    reportCompressedSize: true,
  },
  server: {
    proxy: Object.fromEntries(
      ['/api', '/oauth', '/auth', '/device', '/.well-known', '/healthz']
        .map((p) => [p, gateway])
        .concat([['/sync', { target: gateway, ws: true } as never]]),
    ),
  },
});
