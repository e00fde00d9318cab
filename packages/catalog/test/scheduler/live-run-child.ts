// Child process for the kill -9 test: runs one TMDb incremental run with tiny batches
// against the parent's fixture server, so the parent can kill it mid-run.
import { createDb } from '@media-gateway/db';
import { runLiveSource } from '../../src/scheduler/run-live-source.ts';

const e = process.env;
const db = await createDb(
  e['CHILD_DATABASE_URL']
    ? { databaseUrl: e['CHILD_DATABASE_URL'], schema: e['CHILD_SCHEMA']! }
    : { dataDir: e['CHILD_DATA_DIR']! },
);
process.stdout.write('ready\n');
await runLiveSource({
  db,
  source: 'tmdb',
  region: 'US',
  mode: 'incremental',
  env: { TMDB_API_KEY: 'k', TMDB_BASE_URL: e['CHILD_TMDB_URL']! },
  batchSize: 1,
});
process.stdout.write('finished\n');
await db.close();
