/** Latency samples and errors, each attributed to the phase (steady, or the fault under way) it started in. */
export interface Sample {
  phase: string;
  kind: string;
  at: number;
  ms: number;
  ok: boolean;
  error?: string;
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  const v = sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return Math.round(v * 10) / 10;
}

export class Recorder {
  readonly samples: Sample[] = [];
  phase = 'steady';
  /** When each phase's fault was over and the cluster answered again (performance.now()). */
  readonly recoveredAt = new Map<string, number>();

  record(kind: string, startedAt: number, ok: boolean, error?: string): void {
    this.samples.push({ phase: this.phase, kind, at: startedAt, ms: performance.now() - startedAt, ok, error });
  }

  latency(filter: (s: Sample) => boolean = () => true): { p50_ms: number; p95_ms: number; p99_ms: number; n: number } {
    const ms = this.samples
      .filter((s) => s.ok && filter(s))
      .map((s) => s.ms)
      .sort((a, b) => a - b);
    return { p50_ms: quantile(ms, 0.5), p95_ms: quantile(ms, 0.95), p99_ms: quantile(ms, 0.99), n: ms.length };
  }

  /** Per phase: requests, errors, errors that started after the phase's recovery, and a few examples. */
  errorsByPhase(): Record<
    string,
    { requests: number; errors: number; errors_after_recovery: number; examples: Record<string, number> }
  > {
    const out: ReturnType<Recorder['errorsByPhase']> = {};
    for (const s of this.samples) {
      out[s.phase] ??= { requests: 0, errors: 0, errors_after_recovery: 0, examples: {} };
      const p = out[s.phase]!;
      p.requests++;
      if (s.ok) continue;
      p.errors++;
      const recovered = this.recoveredAt.get(s.phase);
      if (recovered !== undefined && s.at > recovered) p.errors_after_recovery++;
      const key = `${s.kind}: ${s.error ?? '?'}`.slice(0, 120);
      if (Object.keys(p.examples).length < 8 || key in p.examples) p.examples[key] = (p.examples[key] ?? 0) + 1;
    }
    return out;
  }
}
