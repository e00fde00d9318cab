import type { Queryable } from '@media-gateway/db';

/** Audit events: sign-ins, token issuance, rotations and revocations (issue 3, "Protection"). */
export type AuditEvent =
  | 'signin.password'
  | 'signin.password_failed'
  | 'signin.oidc'
  | 'signout'
  | 'signout.everywhere'
  | 'identity.linked'
  | 'user.created'
  | 'user.password_changed'
  | 'user.password_reset'
  | 'user.deleted'
  | 'token.issued'
  | 'token.rotated'
  | 'token.refresh_reuse'
  | 'token.revoked'
  | 'code.reuse'
  | 'device.approved'
  | 'device.denied'
  | 'client.registered';

export interface AuditEntry {
  userId?: string | null | undefined;
  clientId?: string | null | undefined;
  ip?: string | null | undefined;
  details?: Record<string, unknown>;
}

export async function audit(db: Queryable, event: AuditEvent, entry: AuditEntry = {}): Promise<void> {
  await db.query('INSERT INTO audit_log (event, user_id, client_id, ip, details) VALUES ($1, $2, $3, $4, $5::jsonb)', [
    event,
    entry.userId ?? null,
    entry.clientId ?? null,
    entry.ip ?? null,
    JSON.stringify(entry.details ?? {}),
  ]);
}
