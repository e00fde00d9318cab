import { type FormEvent, useState } from 'react';
import { api } from '../api/api-client.ts';
import { Empty, ErrorState, Loading } from '../components/states.tsx';
import { useAsync } from '../use-async.ts';
import { type AdminUser, shortTime } from './admin-api.ts';

/** GET /api/admin/users as a table, and POST /auth/users to add a local account for the household. */
export function UsersPanel() {
  const users = useAsync(
    (signal) => api<{ total: number; users: AdminUser[] }>('/api/admin/users?limit=200', { signal }),
    [],
  );
  return (
    <section aria-labelledby="users-h">
      <h2 id="users-h">Users</h2>
      {users.error && <ErrorState error={users.error} retry={users.reload} what="the accounts" />}
      {!users.data && !users.error && <Loading what="accounts" />}
      {users.data && users.data.users.length === 0 && <Empty title="No accounts yet." />}
      {users.data && users.data.users.length > 0 && (
        <table>
          <caption className="visually-hidden">{users.data.total} accounts</caption>
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Role</th>
              <th scope="col">Sign-in methods</th>
              <th scope="col">Created</th>
              <th scope="col">Last sign-in</th>
            </tr>
          </thead>
          <tbody>
            {users.data.users.map((u) => (
              <tr key={u.id}>
                <th scope="row">
                  {u.displayName ?? u.email ?? u.id}
                  {u.displayName && u.email && <span className="muted"> {u.email}</span>}
                </th>
                <td>{u.isAdmin ? 'Administrator' : 'Member'}</td>
                <td>
                  {[
                    u.hasPassword ? 'password' : '',
                    u.linkedIdentities
                      ? `${u.linkedIdentities} linked identit${u.linkedIdentities === 1 ? 'y' : 'ies'}`
                      : '',
                  ]
                    .filter(Boolean)
                    .join(', ') || '–'}
                </td>
                <td>{shortTime(u.createdAt)}</td>
                <td>{u.lastSignInAt ? shortTime(u.lastSignInAt) : 'never'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {users.data && users.data.total > users.data.users.length && (
        <p className="note">
          Showing the first {users.data.users.length} of {users.data.total}.
        </p>
      )}
      <CreateUser onCreated={users.reload} />
    </section>
  );
}

function CreateUser({ onCreated }: { onCreated: () => void }) {
  const [msg, setMsg] = useState('');
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    try {
      const u = await api<{ email: string }>('/auth/users', {
        method: 'POST',
        body: {
          email: String(f.get('email')),
          password: String(f.get('password')),
          displayName: String(f.get('name') || '') || undefined,
          admin: f.get('admin') === 'on',
        },
      });
      setMsg(`Created an account for ${u.email}.`);
      form.reset();
      onCreated();
    } catch (err) {
      setMsg(`Not created: ${(err as Error).message}`);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} className="narrow" aria-labelledby="new-user-h">
      <h3 id="new-user-h">Add an account</h3>
      <label htmlFor="nu-email">Email</label>
      <input id="nu-email" name="email" type="email" required />
      <label htmlFor="nu-name">Display name</label>
      <input id="nu-name" name="name" />
      <label htmlFor="nu-password">Password</label>
      <input id="nu-password" name="password" type="password" minLength={8} required autoComplete="new-password" />
      <label>
        <input type="checkbox" name="admin" /> Administrator
      </label>
      <button type="submit">Create account</button>
      <p role="status" aria-live="polite">
        {msg}
      </p>
    </form>
  );
}
