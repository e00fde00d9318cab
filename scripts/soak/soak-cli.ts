/**
 * npm run soak -- --seconds N [--json] [--replicas 1|3] [--compare] [--rate R] [--postgres private|machine]
 * Starts a cluster (scripts/cluster), runs the mix (anonymous search and title views, signed-in
 * recommendations, feedback events, watchlist and progress writes, MCP tool calls, 200+ live /sync
 * devices editing) at a fixed offered rate while the fault schedule runs, then reads every
 * acknowledged write back from every replica and every device. API rate limits are off for the
 * soak (MG_API_RATE_LIMIT=0, MG_API_RATE_LIMIT_ANONYMOUS=0): it measures the cluster, not the budgets.
 * --compare: one replica (directly, no faults) then three behind HAProxy (with faults), same rate;
 * prints both and the steady-state p95 ratio. The last stdout line is the JSON.
 */
import { parseArgs } from 'node:util';
import { stopAllClusters } from '../cluster/start-cluster.ts';
import { runSoak } from './run-soak.ts';

// Ctrl-C or a timeout: stop what was started (by pid), drop the database, then exit.
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    console.error(`soak: ${signal}, stopping the cluster`);
    void stopAllClusters().finally(() => process.exit(130));
  });

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '180' },
    replicas: { type: 'string', default: '3' },
    rate: { type: 'string', default: '40' },
    devices: { type: 'string', default: '210' },
    users: { type: 'string', default: '300' },
    postgres: { type: 'string', default: 'private' },
    'haproxy-port': { type: 'string', default: '18080' },
    'redis-port': { type: 'string', default: '6390' },
    compare: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
  strict: true,
});
const seconds = Number(values.seconds);
if (!Number.isFinite(seconds) || seconds < 30) {
  console.error('--seconds must be at least 30');
  process.exit(2);
}
if (values.postgres !== 'private' && values.postgres !== 'machine') {
  console.error('--postgres must be private or machine (machine restarts the shared server: only on your own machine)');
  process.exit(2);
}
const common = {
  seconds,
  rate: Number(values.rate),
  devices: Number(values.devices),
  users: Number(values.users),
  postgres: values.postgres,
  haproxyPort: Number(values['haproxy-port']),
  redisPort: Number(values['redis-port']),
  log: (line: string) => console.error(`soak: ${line}`),
} as const;

let result: unknown;
if (values.compare) {
  const one = await runSoak({ ...common, seconds: Math.min(seconds, 90), replicas: 1, faults: false, direct: true });
  const three = await runSoak({ ...common, replicas: 3, faults: true });
  result = {
    one_replica: one,
    three_replicas: three,
    steady_p95_ratio: one.steady_p95_ms > 0 ? Math.round((three.steady_p95_ms / one.steady_p95_ms) * 100) / 100 : null,
  };
} else {
  const replicas = Number(values.replicas);
  result = await runSoak({ ...common, replicas, faults: replicas > 1 });
}
console.log(values.json ? JSON.stringify(result) : JSON.stringify(result, null, 2));
process.exit(0);
