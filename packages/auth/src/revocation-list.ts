import type { Db } from '@media-gateway/db';

/**
 * Revoked grant families, kept in memory so that checking an access token costs a Set lookup
 * (the verify budget is 0.5 ms p95). Revocations made on this replica apply at once; those made on
 * other replicas are picked up by `refresh()`, which the gateway runs every few seconds. Only
 * families revoked within the access-token lifetime matter: older tokens have expired anyway.
 */
export class RevocationList {
  private readonly families = new Set<string>();

  constructor(private readonly db: Db, private readonly windowSeconds: number) {}

  add(familyId: string): void {
    this.families.add(familyId);
  }

  has(familyId: string): boolean {
    return this.families.has(familyId);
  }

  async refresh(): Promise<void> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM token_families WHERE revoked_at IS NOT NULL AND revoked_at > now() - make_interval(secs => $1)`,
      [this.windowSeconds + 60],
    );
    this.families.clear();
    for (const r of rows.rows) this.families.add(r.id);
  }
}
