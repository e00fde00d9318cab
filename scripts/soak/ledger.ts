/**
 * Every write the soak made, with what the gateway answered: `acked` (2xx, or a device's update
 * acknowledged), `uncertain` (timeout, 5xx, connection lost: it may or may not have been applied,
 * possibly late), `refused` (a 4xx: not applied). Verification: every acknowledged watchlist add is
 * there; for each title, the progress shown is the last acknowledged one or one of the uncertain ones.
 */
export interface WriteRecord {
  user: string;
  titleId: string;
  kind: 'add' | 'progress';
  position?: number;
  via: string;
  outcome: 'acked' | 'uncertain' | 'refused';
  /** The soak phase the write was made in (steady, or the fault running then). */
  phase?: string;
}

/** What a reader shows for one user: title → progress position (null when none). */
export type UserView = Map<string, number | null>;

export class Ledger {
  private readonly writes = new Map<string, WriteRecord[]>();
  private readonly used = new Map<string, Set<string>>();
  private position = 0;

  constructor(private readonly titles: string[]) {}

  /** A title this user never wrote (each add gets its own, so every add is checked on its own). */
  freshTitle(user: string): string | undefined {
    const used = this.used.get(user) ?? new Set<string>();
    this.used.set(user, used);
    const start = Math.floor(Math.random() * this.titles.length);
    for (let k = 0; k < this.titles.length; k++) {
      const t = this.titles[(start + k) % this.titles.length]!;
      if (!used.has(t)) {
        used.add(t);
        return t;
      }
    }
    return undefined;
  }

  nextPosition(): number {
    return ++this.position;
  }

  /** A title this writer added and was acknowledged for (progress writes go only there). */
  ackedAdd(user: string, via: string): string | undefined {
    const mine = (this.writes.get(user) ?? []).filter(
      (w) => w.kind === 'add' && w.via === via && w.outcome === 'acked',
    );
    return mine[Math.floor(Math.random() * mine.length)]?.titleId;
  }

  record(w: WriteRecord): void {
    const list = this.writes.get(w.user) ?? [];
    list.push(w);
    this.writes.set(w.user, list);
  }

  /** The writes of `user` on `titleId` (diagnostics). */
  writesOn(user: string, titleId: string): WriteRecord[] {
    return (this.writes.get(user) ?? []).filter((w) => w.titleId === titleId);
  }

  users(): string[] {
    return [...this.writes.keys()];
  }

  count(outcome: WriteRecord['outcome']): number {
    let n = 0;
    for (const list of this.writes.values()) for (const w of list) if (w.outcome === outcome) n++;
    return n;
  }

  /** The acknowledged writes this view does not show (a superseded progress write is not lost). */
  lost(user: string, view: UserView): WriteRecord[] {
    const list = this.writes.get(user) ?? [];
    const lost: WriteRecord[] = [];
    for (const w of list) {
      if (w.outcome !== 'acked') continue;
      if (w.kind === 'add') {
        if (!view.has(w.titleId)) lost.push(w);
        continue;
      }
      const sameTitle = list.filter((x) => x.kind === 'progress' && x.titleId === w.titleId);
      const lastAcked = sameTitle.filter((x) => x.outcome === 'acked').at(-1);
      if (lastAcked !== w) continue;
      const allowed = new Set([
        w.position,
        ...sameTitle.filter((x) => x.outcome === 'uncertain').map((x) => x.position),
      ]);
      if (!allowed.has(view.get(w.titleId) ?? undefined)) lost.push(w);
    }
    return lost;
  }
}

/** Items that differ between two views of one user (present on one side only, or another position). */
export function differences(a: UserView, b: UserView): string[] {
  const out: string[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    if (!a.has(key) || !b.has(key) || a.get(key) !== b.get(key)) out.push(key);
  }
  return out;
}

export function viewOf(items: Array<{ titleId: string; progress: { positionSeconds: number } | null }>): UserView {
  return new Map(items.map((i) => [i.titleId, i.progress?.positionSeconds ?? null]));
}
