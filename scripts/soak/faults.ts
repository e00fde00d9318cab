import type { Cluster } from '../cluster/start-cluster.ts';
import { sleep } from '../cluster/procs.ts';
import type { Recorder } from './stats.ts';

export interface FaultResult {
  name: string;
  started_s: number;
  fault_end_s: number;
  recovery_s: number | null;
  detail?: Record<string, unknown>;
}

interface Fault {
  name: string;
  /** Fraction of the soak at which it starts (later if the previous one is still recovering). */
  at: number;
  /** Replicas whose /readyz must be 200 again (indices). */
  affected: (c: Cluster) => number[];
  /** Performs the fault; resolves when it is over (process back, SIGCONT, service restarted). */
  run: (c: Cluster) => Promise<Record<string, unknown> | undefined>;
}

/** The five faults, in order (`freezeSeconds`: how long replica 2 stays stopped). */
export function schedule(freezeSeconds: number): Fault[] {
  const all = (c: Cluster) => c.replicas.map((_, i) => i);
  return [
    {
      name: 'kill9',
      at: 0.12,
      affected: () => [0],
      run: async (c) => {
        await c.killReplica(0);
        await c.replicas[0]!.start();
        return undefined;
      },
    },
    {
      name: 'rolling_restart',
      at: 0.26,
      affected: all,
      run: async (c) => {
        const exitCodes: Array<number | null> = [];
        const unclean: Record<string, string> = {};
        for (let i = 0; i < c.replicas.length; i++) {
          const { exitCode, output } = await c.rollReplica(i);
          exitCodes.push(exitCode);
          if (output !== undefined) unclean[c.replicas[i]!.name] = output;
        }
        return { exitCodes, ...(Object.keys(unclean).length ? { unclean_exits: unclean } : {}) };
      },
    },
    {
      name: 'redis_restart',
      at: 0.5,
      affected: all,
      run: async (c) => {
        await c.restartRedis(1_000);
        return undefined;
      },
    },
    {
      name: 'postgres_restart',
      at: 0.64,
      affected: all,
      run: async (c) => {
        await c.restartPostgres();
        return undefined;
      },
    },
    {
      name: 'freeze',
      at: 0.78,
      affected: (c) => [Math.min(1, c.replicas.length - 1)],
      run: async (c) => {
        const i = Math.min(1, c.replicas.length - 1);
        c.freezeReplica(i);
        await sleep(freezeSeconds * 1000);
        c.thawReplica(i);
        return { frozen_s: freezeSeconds };
      },
    },
  ];
}

/**
 * Runs the faults one after the other during the soak. Recovery of each: from the end of the fault
 * until `probe()` succeeds (a signed-in write through HAProxy seen by a live device) and /readyz of
 * every affected replica is 200. The recorder's phase is the fault's name from its start until the
 * next fault starts.
 */
export async function runFaults(
  cluster: Cluster,
  faults: Fault[],
  seconds: number,
  rec: Recorder,
  probe: () => Promise<boolean>,
  log: (line: string) => void,
): Promise<FaultResult[]> {
  const t0 = performance.now();
  const results: FaultResult[] = [];
  for (const fault of faults) {
    const wait = t0 + fault.at * seconds * 1000 - performance.now();
    if (wait > 0) await sleep(wait);
    await sleep(1_000);
    rec.phase = fault.name;
    const started = performance.now();
    log(`fault ${fault.name} at ${((started - t0) / 1000).toFixed(1)} s`);
    const detail = await fault.run(cluster);
    const end = performance.now();
    let recovered: number | undefined;
    while (performance.now() - end < 90_000) {
      const ready = await Promise.all(
        fault.affected(cluster).map((i) =>
          fetch(`${cluster.replicas[i]!.url}/readyz`, { signal: AbortSignal.timeout(1_000) })
            .then((r) => r.ok)
            .catch(() => false),
        ),
      );
      if (ready.every(Boolean) && (await probe().catch(() => false))) {
        recovered = performance.now();
        break;
      }
      await sleep(100);
    }
    if (recovered !== undefined) rec.recoveredAt.set(fault.name, recovered);
    const diagnosis = recovered === undefined ? await whyNotRecovered(cluster, fault, probe) : undefined;
    // The next fault starts with every replica back in the load balancer's rotation.
    for (const r of cluster.replicas) await cluster.haproxy.waitState(r.name, 'UP', 60_000).catch(() => {});
    results.push({
      name: fault.name,
      started_s: Math.round((started - t0) / 100) / 10,
      fault_end_s: Math.round((end - t0) / 100) / 10,
      recovery_s: recovered === undefined ? null : Math.round((recovered - end) / 10) / 100,
      ...(detail || diagnosis ? { detail: { ...detail, ...diagnosis } } : {}),
    });
    log(
      `fault ${fault.name}: over after ${((end - started) / 1000).toFixed(1)} s, ` +
        `recovered ${results.at(-1)!.recovery_s} s later`,
    );
  }
  return results;
}

/**
 * What a fault that never recovered left behind, so a rare failure in CI can be read from its JSON:
 * each affected replica's /readyz answer, whether its process still runs, and the end of its output.
 */
async function whyNotRecovered(
  cluster: Cluster,
  fault: Fault,
  probe: () => Promise<boolean>,
): Promise<Record<string, unknown>> {
  const replicas = await Promise.all(
    fault.affected(cluster).map(async (i) => {
      const r = cluster.replicas[i]!;
      const readyz = await fetch(`${r.url}/readyz`, { signal: AbortSignal.timeout(2_000) })
        .then(async (res) => `${res.status} ${(await res.text()).slice(0, 200)}`)
        .catch((e: Error) => `no answer: ${(e.cause as Error | undefined)?.message ?? e.message}`);
      return { name: r.name, running: r.running(), readyz, output_tail: r.output().slice(-1_500) };
    }),
  );
  return { not_recovered: { probe_ok: await probe().catch(() => false), replicas } };
}
