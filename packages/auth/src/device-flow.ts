import type { Db } from '@media-gateway/db';
import { audit } from './audit-log.ts';
import type { Clock } from './clock.ts';
import type { GrantService, TokenResponse } from './grant-service.ts';
import { OAuthError } from './oauth-error.ts';
import { isScope, type Scope } from './scopes.ts';
import { formatUserCode, generateUserCode, hashSecret, normalizeUserCode, randomToken } from './secrets.ts';

/** RFC 8628 §3.2 recommends 5 s; §5.2 recommends short code lifetimes (600 s). */
export const DEVICE_INTERVAL_SECONDS = 5;
export const DEVICE_CODE_TTL_SECONDS = 600;

interface DeviceRow {
  device_code_hash: string;
  user_code: string;
  client_id: string;
  scopes: string[];
  status: 'pending' | 'approved' | 'denied' | 'used';
  user_id: string | null;
  interval_seconds: number;
  last_polled_at: Date | null;
  expires_at: Date;
}

export interface PendingDevice {
  userCode: string;
  clientId: string;
  scopes: Scope[];
  expiresAt: Date;
}

export function createDeviceFlow(db: Db, clock: Clock, grants: GrantService) {
  const now = () => new Date(clock.now());

  async function pendingByUserCode(input: string): Promise<DeviceRow | undefined> {
    const code = normalizeUserCode(input);
    if (!/^[A-Z]{8}$/.test(code)) return undefined;
    const row = (await db.query<DeviceRow>('SELECT * FROM device_codes WHERE user_code = $1', [code])).rows[0];
    if (row?.status !== 'pending' || row.expires_at.getTime() <= clock.now()) return undefined;
    return row;
  }

  return {
    async start(input: { clientId: string; scopes: readonly Scope[]; verificationUri: string }) {
      const deviceCode = randomToken(32);
      let userCode = generateUserCode();
      // A collision among live codes is ~1 in 10^10 per pair; retry rather than fail.
      for (let attempt = 0; ; attempt++) {
        try {
          await db.query(
            `INSERT INTO device_codes (device_code_hash, user_code, client_id, scopes, ` +
              `interval_seconds, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
            [
              hashSecret(deviceCode),
              userCode,
              input.clientId,
              input.scopes,
              DEVICE_INTERVAL_SECONDS,
              new Date(clock.now() + DEVICE_CODE_TTL_SECONDS * 1000),
              now(),
            ],
          );
          break;
        } catch (error) {
          if (attempt >= 3) throw error;
          await db.query('DELETE FROM device_codes WHERE user_code = $1 AND expires_at < $2', [userCode, now()]);
          userCode = generateUserCode();
        }
      }
      const shown = formatUserCode(userCode);
      return {
        device_code: deviceCode,
        user_code: shown,
        verification_uri: input.verificationUri,
        verification_uri_complete: `${input.verificationUri}?user_code=${shown}`,
        expires_in: DEVICE_CODE_TTL_SECONDS,
        interval: DEVICE_INTERVAL_SECONDS,
      };
    },

    /** One poll of the token endpoint (RFC 8628 §3.4–3.5). */
    async poll(input: { deviceCode: string; clientId: string; ip?: string | undefined }): Promise<TokenResponse> {
      const hash = hashSecret(input.deviceCode);
      const row = (await db.query<DeviceRow>('SELECT * FROM device_codes WHERE device_code_hash = $1', [hash])).rows[0];
      if (!row || row.client_id !== input.clientId)
        throw new OAuthError('invalid_grant', 'Unknown device_code for this client.');
      if (row.status === 'used')
        throw new OAuthError('invalid_grant', 'This device_code was already exchanged for tokens.');
      if (row.expires_at.getTime() <= clock.now())
        throw new OAuthError('expired_token', 'The device_code expired; start again.');
      const t = clock.now();
      if (row.last_polled_at && t - row.last_polled_at.getTime() < row.interval_seconds * 1000) {
        // §3.5: the client must add 5 s to its interval for this and all later polls; so do we.
        await db.query(
          'UPDATE device_codes SET interval_seconds = interval_seconds + 5, last_polled_at = $2 ' +
            'WHERE device_code_hash = $1',
          [hash, now()],
        );
        throw new OAuthError(
          'slow_down',
          `Polling too fast; wait at least ${row.interval_seconds + 5} s between polls.`,
        );
      }
      await db.query('UPDATE device_codes SET last_polled_at = $2 WHERE device_code_hash = $1', [hash, now()]);
      if (row.status === 'pending')
        throw new OAuthError('authorization_pending', 'The user has not approved this device yet.');
      if (row.status === 'denied') throw new OAuthError('access_denied', 'The user denied this device.');
      const claimed = await db.query(
        "UPDATE device_codes SET status = 'used' WHERE device_code_hash = $1 AND status = 'approved'",
        [hash],
      );
      if (claimed.rowCount === 0 || !row.user_id)
        throw new OAuthError('invalid_grant', 'This device_code was already exchanged for tokens.');
      return grants.issue({
        userId: row.user_id,
        clientId: row.client_id,
        scopes: row.scopes.filter(isScope),
        ip: input.ip,
      });
    },

    /** What the verification page shows before the user decides. */
    async lookup(userCode: string): Promise<PendingDevice | undefined> {
      const row = await pendingByUserCode(userCode);
      return row
        ? {
            userCode: formatUserCode(row.user_code),
            clientId: row.client_id,
            scopes: row.scopes.filter(isScope),
            expiresAt: row.expires_at,
          }
        : undefined;
    },

    /** `isAdmin: false` strips the admin scope: only administrators can grant it. */
    async decide(input: {
      userCode: string;
      userId: string;
      isAdmin: boolean;
      approve: boolean;
      ip?: string | undefined;
    }): Promise<PendingDevice | undefined> {
      const row = await pendingByUserCode(input.userCode);
      if (!row) return undefined;
      const scopes = input.isAdmin ? row.scopes : row.scopes.filter((s) => s !== 'admin');
      const upd = await db.query(
        `UPDATE device_codes SET status = $2, user_id = $3, scopes = $4 ` +
          `WHERE device_code_hash = $1 AND status = 'pending'`,
        [row.device_code_hash, input.approve ? 'approved' : 'denied', input.userId, scopes],
      );
      if (upd.rowCount === 0) return undefined;
      await audit(db, input.approve ? 'device.approved' : 'device.denied', {
        userId: input.userId,
        clientId: row.client_id,
        ip: input.ip,
      });
      return {
        userCode: formatUserCode(row.user_code),
        clientId: row.client_id,
        scopes: scopes.filter(isScope),
        expiresAt: row.expires_at,
      };
    },
  };
}

export type DeviceFlow = ReturnType<typeof createDeviceFlow>;
