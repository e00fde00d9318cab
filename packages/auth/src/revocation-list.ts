import type { Db } from '@media-gateway/db';

/**
 * Revoked grant families, kept in memory so that checking an access token costs a Map lookup
 * (the verify budget is 0.5 ms p95). Revocations made on this replica apply at once. Those made on
 * other replicas arrive through `publish`/`receive` (Redis pub/sub, decision 0036) and, as a
 * fallback when messages are lost or there is no Redis, through `refresh()` from the database,
 * which the auth server runs every few seconds. Only families revoked within the access-token
 * lifetime matter: older tokens have expired anyway.
 */
export class RevocationList {
  /** Family id → when this process learned of it (ms). */
  private readonly families = new Map<string, number>();
  private publisher: ((familyIds: string[]) => void) | undefined;

  constructor(
    private readonly db: Db,
    private readonly windowSeconds: number,
  ) {}

  /** Where revocations made here are announced to other replicas. */
  setPublisher(publish: (familyIds: string[]) => void): void {
    this.publisher = publish;
  }

  /** Families just revoked on this replica (and committed to the database). */
  revoked(familyIds: readonly string[]): void {
    if (familyIds.length === 0) return;
    this.receive(familyIds);
    this.publisher?.([...familyIds]);
  }

  /** Families another replica revoked. */
  receive(familyIds: readonly string[]): void {
    const now = Date.now();
    for (const id of familyIds) this.families.set(id, now);
  }

  add(familyId: string): void {
    this.receive([familyId]);
  }

  has(familyId: string): boolean {
    return this.families.has(familyId);
  }

  async refresh(): Promise<void> {
    const started = Date.now();
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM token_families WHERE revoked_at IS NOT NULL AND revoked_at > now() - make_interval(secs => $1)`,
      [this.windowSeconds + 60],
    );
    const fresh = new Set(rows.rows.map((r) => r.id));
    // Keep what arrived while the query ran (its commit may postdate the query's snapshot) and
    // anything learned within the window: a message must never be undone by an older read.
    for (const [id, at] of this.families) {
      if (!fresh.has(id) && at < started - this.windowSeconds * 1000) this.families.delete(id);
    }
    for (const id of fresh) if (!this.families.has(id)) this.families.set(id, started);
  }
}
