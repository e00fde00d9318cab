/**
 * npm run cluster -- [--replicas 3] [--haproxy-port 8080] [--redis-port 6390] [--postgres machine|private]
 * Starts PostgreSQL's own database, a private Redis, N API replicas, one worker and HAProxy
 * (scripts/cluster/start-cluster.ts), prints where everything is, and on Ctrl-C (or SIGTERM)
 * stops everything it started, by pid, and drops the database.
 */
import { parseArgs } from 'node:util';
import { startCluster } from './start-cluster.ts';

const { values } = parseArgs({
  options: {
    replicas: { type: 'string', default: '3' },
    'haproxy-port': { type: 'string', default: '8080' },
    'redis-port': { type: 'string', default: '6390' },
    postgres: { type: 'string', default: 'machine' },
    database: { type: 'string' },
  },
  strict: true,
});
if (values.postgres !== 'machine' && values.postgres !== 'private') {
  console.error('--postgres must be machine or private');
  process.exit(2);
}
const cluster = await startCluster({
  replicas: Number(values.replicas),
  haproxyPort: Number(values['haproxy-port']),
  redisPort: Number(values['redis-port']),
  postgres: values.postgres,
  pgDatabase: values.database,
  log: (line) => console.error(`cluster: ${line}`),
});
console.log(
  JSON.stringify({
    url: cluster.url,
    sync: cluster.wsUrl,
    database: cluster.databaseUrl,
    redis: cluster.redisUrl,
    pids: cluster.pids(),
  }),
);
console.error('cluster: ready; Ctrl-C stops everything it started');
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.error('cluster: stopping');
  await cluster.stop();
  console.error('cluster: stopped');
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
setInterval(() => {}, 1 << 30);
