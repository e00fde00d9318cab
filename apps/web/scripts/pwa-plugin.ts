import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';
import { APP_ICONS, iconPng } from './app-icons.ts';

const SW_SOURCE = new URL('../pwa/service-worker.js', import.meta.url);

/** The installable-app manifest (decision 0108). Colours are the app's own (styles.css). */
export const MANIFEST = {
  id: '/',
  name: 'Media Gateway',
  short_name: 'Gateway',
  description: 'Every streaming service behind one door: what to watch, where, and your watchlist on every device.',
  start_url: '/',
  scope: '/',
  display: 'standalone',
  background_color: '#101418',
  theme_color: '#1b2128',
  icons: APP_ICONS.map((i) => ({
    src: `/${i.file}`,
    sizes: `${i.size}x${i.size}`,
    type: 'image/png',
    purpose: i.maskable ? 'maskable' : 'any',
  })),
  shortcuts: [{ name: 'Watchlist', url: '/watchlist' }],
};

/**
 * Build-time PWA files: icons drawn in code, manifest.webmanifest, and sw.js with the exact list of
 * files this build produced (the app shell it precaches) and a version that changes with them, so
 * a new build installs a new worker that drops the old shell. Runs last, when index.html and every
 * hashed asset are in the bundle.
 */
export function pwaPlugin(): Plugin {
  return {
    name: 'media-gateway-pwa',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      for (const icon of APP_ICONS)
        this.emitFile({ type: 'asset', fileName: icon.file, source: iconPng(icon.size, icon.maskable) });
      this.emitFile({
        type: 'asset',
        fileName: 'manifest.webmanifest',
        source: `${JSON.stringify(MANIFEST, null, 2)}\n`,
      });
      const files = [...Object.keys(bundle), ...APP_ICONS.map((i) => i.file), 'manifest.webmanifest']
        .filter((f) => f !== 'index.html' && !f.endsWith('.map'))
        .sort();
      // "/" is the shell: the gateway answers every app path with index.html.
      const precache = ['/', ...files.map((f) => `/${f}`)];
      const template = readFileSync(SW_SOURCE, 'utf8');
      const version = createHash('sha256')
        .update(JSON.stringify(precache))
        .update(String(bundle['index.html'] && 'source' in bundle['index.html'] ? bundle['index.html'].source : ''))
        .update(template)
        .digest('hex')
        .slice(0, 12);
      const source = template
        .replace("'__MG_VERSION__'", () => JSON.stringify(version))
        .replace(/\[\s*\/\* __MG_PRECACHE__ \*\/\s*\]/, () => JSON.stringify(precache));
      if (source.includes('__MG_')) this.error('service-worker.js lost a build placeholder');
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}
