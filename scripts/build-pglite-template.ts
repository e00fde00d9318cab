// Run by the root postinstall: prebuilds the migrated PGlite template that a fresh data directory
// starts from (see packages/db/src/pglite-template.ts). Failure is not fatal: start-up then runs initdb.
import { buildTemplate } from '@media-gateway/db';

const started = performance.now();
try {
  const path = await buildTemplate();
  console.error(
    `[db] prebuilt the embedded database template ` +
      `in ${((performance.now() - started) / 1000).toFixed(1)} s (${path.split('/').slice(-1)[0]})`,
  );
} catch (error) {
  console.error(
    `[db] could not prebuild the embedded database template ` +
      `(${(error as Error).message}); the first start will take a few seconds longer.`,
  );
}
