import { hash, verify } from '@node-rs/argon2';
import type { Db } from '@media-gateway/db';
import { DomainError } from '@media-gateway/domain';
import { audit } from './audit-log.ts';
import { randomToken } from './secrets.ts';

export interface User {
  id: string;
  email: string | null;
  displayName: string | null;
  isAdmin: boolean;
  hasPassword: boolean;
  identities: Array<{ provider: string; subject: string; email: string | null }>;
}

interface UserRow {
  id: string;
  email: string | null;
  display_name: string | null;
  is_admin: boolean;
  password_hash: string | null;
}

// OWASP's argon2id baseline (m=19 MiB, t=2, p=1); @node-rs/argon2 defaults to argon2id.
const ARGON2 = { memoryCost: 19456, timeCost: 2, parallelism: 1 };
// Verified against on unknown emails so a miss costs as long as a hit (no account enumeration by timing).
let dummyHash: Promise<string> | undefined;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validatePassword(password: string): void {
  if (password.length < 10 || password.length > 200) {
    throw new DomainError('INVALID_INPUT', 'Passwords must be 10 to 200 characters long.', { field: 'password' });
  }
}

export function createUserService(db: Db, hooks: { onUserRevoked(userId: string, reason: string): Promise<void> }) {
  async function load(id: string): Promise<User | undefined> {
    const r = (
      await db.query<UserRow>(
        'SELECT id, email, display_name, is_admin, password_hash FROM users WHERE id = $1 AND deleted_at IS NULL',
        [id],
      )
    ).rows[0];
    if (!r) return undefined;
    const ids = await db.query<{ provider: string; subject: string; email: string | null }>(
      'SELECT provider, subject, email FROM user_identities WHERE user_id = $1 ORDER BY created_at',
      [id],
    );
    return {
      id: r.id,
      email: r.email,
      displayName: r.display_name,
      isAdmin: r.is_admin,
      hasPassword: r.password_hash !== null,
      identities: ids.rows,
    };
  }

  async function insertUser(input: {
    email: string | null;
    displayName: string | null;
    passwordHash: string | null;
    isAdmin: boolean;
  }): Promise<string> {
    const id = `usr_${randomToken(12)}`;
    await db.query('INSERT INTO users (id, email, display_name, password_hash, is_admin) VALUES ($1, $2, $3, $4, $5)', [
      id,
      input.email,
      input.displayName,
      input.passwordHash,
      input.isAdmin,
    ]);
    await audit(db, 'user.created', { userId: id, details: { admin: input.isAdmin } });
    return id;
  }

  return {
    get: load,

    async createLocalUser(input: {
      email: string;
      password: string;
      displayName?: string;
      isAdmin?: boolean;
    }): Promise<User> {
      const email = input.email.trim();
      if (!EMAIL.test(email))
        throw new DomainError('INVALID_INPUT', `"${email}" is not an email address.`, { field: 'email' });
      validatePassword(input.password);
      const taken = await db.query('SELECT 1 FROM users WHERE lower(email) = lower($1) AND deleted_at IS NULL', [
        email,
      ]);
      if (taken.rows.length)
        throw new DomainError('CONFLICT', 'An account with this email already exists.', { field: 'email' });
      const id = await insertUser({
        email,
        displayName: input.displayName ?? null,
        passwordHash: await hash(input.password, ARGON2),
        isAdmin: input.isAdmin ?? false,
      });
      return (await load(id))!;
    },

    /** Local sign-in. Returns undefined on any mismatch; the caller says only "wrong email or password". */
    async verifyPassword(email: string, password: string): Promise<User | undefined> {
      const r = (
        await db.query<UserRow>(
          'SELECT id, password_hash FROM users WHERE lower(email) = lower($1) AND deleted_at IS NULL',
          [email.trim()],
        )
      ).rows[0] as UserRow | undefined;
      if (!r?.password_hash) {
        dummyHash ??= hash(randomToken(), ARGON2);
        await verify(await dummyHash, password).catch(() => false);
        return undefined;
      }
      const ok = await verify(r.password_hash, password).catch(() => false);
      return ok ? load(r.id) : undefined;
    },

    async changePassword(userId: string, current: string, next: string): Promise<void> {
      const r = (
        await db.query<UserRow>('SELECT password_hash FROM users WHERE id = $1 AND deleted_at IS NULL', [userId])
      ).rows[0];
      if (!r) throw new DomainError('NOT_FOUND', 'No such user.');
      // 403, not 401: the caller is authenticated; the re-entered password is what is wrong.
      if (r.password_hash && !(await verify(r.password_hash, current).catch(() => false))) {
        throw new DomainError('FORBIDDEN', 'The current password is wrong.', {
          field: 'current_password',
          reason: 'wrong_password',
        });
      }
      validatePassword(next);
      await db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [userId, await hash(next, ARGON2)]);
      await audit(db, 'user.password_changed', { userId });
      await hooks.onUserRevoked(userId, 'password_changed');
    },

    /**
     * An administrator sets a new password for someone who forgot theirs: every sign-in of that person ends at once
     * (as when they change it themselves), and they sign in with the new one.
     */
    async resetPassword(userId: string, next: string, by: { userId: string; clientId: string }): Promise<void> {
      const r = (await db.query<UserRow>('SELECT id FROM users WHERE id = $1 AND deleted_at IS NULL', [userId]))
        .rows[0];
      if (!r) throw new DomainError('NOT_FOUND', 'No such user.', { resource: 'user', id: userId });
      validatePassword(next);
      await db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [userId, await hash(next, ARGON2)]);
      await audit(db, 'user.password_reset', { userId, clientId: by.clientId, details: { by: by.userId } });
      await hooks.onUserRevoked(userId, 'password_reset');
    },

    /** Re-authentication before sensitive changes; false for accounts without a password. */
    async checkPassword(userId: string, password: string): Promise<boolean> {
      const r = (
        await db.query<UserRow>('SELECT password_hash FROM users WHERE id = $1 AND deleted_at IS NULL', [userId])
      ).rows[0];
      if (!r?.password_hash) return false;
      return verify(r.password_hash, password).catch(() => false);
    },

    /** True when this person is the only remaining administrator (deleting them would lock the install). */
    async isLastAdmin(userId: string): Promise<boolean> {
      const admins = (
        await db.query<{ id: string }>('SELECT id FROM users WHERE is_admin AND deleted_at IS NULL LIMIT 2')
      ).rows;
      return admins.length === 1 && admins[0]!.id === userId;
    },

    /** `by`: the administrator who deleted someone else's account (absent when people delete their own). */
    async deleteUser(userId: string, by?: { userId: string; clientId: string }): Promise<void> {
      await db.transaction(async (tx) => {
        // Two administrators deleting each other at once must not leave none: the admin rows are locked, so the
        // second deletion waits for the first and then sees it is the last one (callers' `isLastAdmin` check
        // gives the friendlier message; this one holds under concurrency).
        const admins = (
          await tx.query<{ id: string }>('SELECT id FROM users WHERE is_admin AND deleted_at IS NULL FOR UPDATE')
        ).rows;
        if (admins.length === 1 && admins[0]!.id === userId)
          throw new DomainError('CONFLICT', 'This is the only administrator.', { reason: 'last_admin' });
        await tx.query('UPDATE users SET deleted_at = now(), email = NULL, password_hash = NULL WHERE id = $1', [
          userId,
        ]);
        await tx.query('DELETE FROM user_identities WHERE user_id = $1', [userId]);
      });
      await audit(db, 'user.deleted', by ? { userId, clientId: by.clientId, details: { by: by.userId } } : { userId });
      await hooks.onUserRevoked(userId, 'account_deleted');
    },

    /**
     * Upstream OIDC sign-in: the (issuer, sub) pair identifies the person. When someone is already
     * signed in (`linkTo`), the identity is linked to them; otherwise a new user is created. We never
     * link by matching email, which would let any upstream that asserts an email take over accounts.
     */
    async signInWithIdentity(input: {
      provider: string;
      subject: string;
      email?: string | undefined;
      name?: string | undefined;
      linkTo?: string | undefined;
    }): Promise<{ user: User; created: boolean; linked: boolean }> {
      const existing = (
        await db.query<{ user_id: string }>(
          'SELECT user_id FROM user_identities WHERE provider = $1 AND subject = $2',
          [input.provider, input.subject],
        )
      ).rows[0];
      if (existing) {
        if (input.linkTo && input.linkTo !== existing.user_id) {
          throw new DomainError('CONFLICT', 'This upstream account is already linked to another user.');
        }
        const user = await load(existing.user_id);
        if (!user) throw new DomainError('UNAUTHENTICATED', 'This account was deleted.');
        return { user, created: false, linked: false };
      }
      let userId = input.linkTo;
      let created = false;
      if (!userId) {
        // The upstream email is kept for display only; it is unique among local accounts, so it is dropped on a clash.
        const clash = input.email
          ? (await db.query('SELECT 1 FROM users WHERE lower(email) = lower($1) AND deleted_at IS NULL', [input.email]))
              .rows.length > 0
          : true;
        userId = await insertUser({
          email: clash ? null : (input.email ?? null),
          displayName: input.name ?? null,
          passwordHash: null,
          isAdmin: false,
        });
        created = true;
      }
      await db.query('INSERT INTO user_identities (provider, subject, user_id, email) VALUES ($1, $2, $3, $4)', [
        input.provider,
        input.subject,
        userId,
        input.email ?? null,
      ]);
      await audit(db, 'identity.linked', { userId, details: { provider: input.provider } });
      return { user: (await load(userId))!, created, linked: !created };
    },

    /** First-run bootstrap (MG_ADMIN_EMAIL / MG_ADMIN_PASSWORD): creates the admin once, when there is none. */
    async bootstrapAdmin(email: string, password: string): Promise<User | undefined> {
      const any = await db.query('SELECT 1 FROM users WHERE is_admin AND deleted_at IS NULL LIMIT 1');
      if (any.rows.length) return undefined;
      validatePassword(password);
      let id: string;
      try {
        id = await insertUser({
          email: email.trim(),
          displayName: 'Administrator',
          passwordHash: await hash(password, ARGON2),
          isAdmin: true,
        });
      } catch (error) {
        // Replicas started together (compose, Kubernetes) all see no admin; the first insert wins, the others
        // find its row by the unique email and go on.
        if ((error as { code?: string }).code !== '23505') throw error;
        const now = await db.query('SELECT 1 FROM users WHERE is_admin AND deleted_at IS NULL LIMIT 1');
        if (now.rows.length) return undefined;
        throw new Error(
          `MG_ADMIN_EMAIL ${email.trim()} already belongs to an account that is not an administrator; ` +
            'choose another email, or make that account an administrator.',
        );
      }
      return load(id);
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
