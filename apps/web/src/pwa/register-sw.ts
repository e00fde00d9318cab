/**
 * Registers the service worker (dist/sw.js, generated at build) for the whole origin. Not in
 * development: Vite's dev server serves modules, not the built shell, and a worker caching them
 * would serve stale code while editing.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const register = () =>
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: Error) => {
      // The app works without it (no offline shell): say so in the console, nothing more.
      console.warn(`Media Gateway: offline support is unavailable (${error.message})`);
    });
  if (document.readyState === 'complete') void register();
  else window.addEventListener('load', () => void register(), { once: true });
}
