import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { run, waitUntil } from './procs.ts';

/**
 * PostgreSQL for one cluster run: a fresh database (unique name, dropped at the end) on either
 * - `machine`: the machine's server (`adminUrl`); restart = `pg_ctlcluster <version> main restart`,
 *   which also cuts every other user of that server: use it only on a machine that is yours;
 * - `private`: a throw-away server (initdb in a temp dir, its own port), so the restart fault
 *   touches nobody else (the default of the soak and its test).
 */
export interface PostgresHandle {
  readonly mode: 'machine' | 'private';
  /** The cluster's own database. */
  readonly databaseUrl: string;
  /** The postmaster's pid (read from its pid file; the machine's server is not ours to stop). */
  pid(): number | undefined;
  restart(): Promise<void>;
  /** Drops the database; stops and deletes the private server. */
  stop(): Promise<void>;
}

async function sql(url: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    await sql(url, 'SELECT 1');
    return true;
  } catch {
    return false;
  }
}

function withDb(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

function pgBinDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions[0])
    throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)');
  return join(base, versions[0], 'bin');
}

export async function startPostgres(options: {
  mode: 'machine' | 'private';
  /** machine: an admin URL of the server (default DATABASE_URL, else postgres@127.0.0.1:5432). */
  adminUrl?: string;
  /** private: the port to listen on. */
  port?: number;
  database?: string;
}): Promise<PostgresHandle> {
  const name = options.database ?? `mg_cluster_${randomBytes(4).toString('hex')}`;
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`database name must be lower-case letters, digits, _: ${name}`);

  if (options.mode === 'machine') {
    const admin = options.adminUrl ?? process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    await sql(admin, `CREATE DATABASE ${name}`);
    const version = (
      await (async () => {
        const c = new pg.Client({ connectionString: admin });
        await c.connect();
        try {
          return (await c.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`)).rows[0]!.v;
        } finally {
          await c.end();
        }
      })()
    ).slice(0, 2);
    const dataDir = await (async () => {
      try {
        return (await run('pg_conftool', ['-s', version, 'main', 'show', 'data_directory'])).trim();
      } catch {
        return `/var/lib/postgresql/${version}/main`;
      }
    })();
    return {
      mode: 'machine',
      databaseUrl: withDb(admin, name),
      pid: () => {
        try {
          return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
        } catch {
          return undefined;
        }
      },
      restart: async () => {
        await run('pg_ctlcluster', [version, 'main', 'restart'], { timeoutMs: 60_000 });
        await waitUntil(() => answers(admin), 'PostgreSQL after restart', 30_000, 100);
      },
      stop: async () => {
        await sql(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      },
    };
  }

  const bin = pgBinDir();
  const port = options.port ?? 55_432;
  const dir = await mkdtemp(join(tmpdir(), 'mg-cluster-pg-'));
  const data = join(dir, 'data');
  // initdb refuses to run as root: run the server binaries as the postgres user then.
  const asRoot = process.getuid?.() === 0;
  const runAs = (cmd: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]) : run(join(bin, cmd), args);
  if (asRoot) {
    const uid = Number((await run('id', ['-u', 'postgres'])).trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).trim());
    await chown(dir, uid, gid);
  }
  await runAs('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-instructions']);
  const pgOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`;
  await runAs('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', pgOptions, '-w', '-t', '60', 'start']);
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitUntil(() => answers(admin), 'the private PostgreSQL', 30_000, 100);
  await sql(admin, `CREATE DATABASE ${name}`);
  return {
    mode: 'private',
    databaseUrl: withDb(admin, name),
    pid: () => {
      try {
        return Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      } catch {
        return undefined;
      }
    },
    restart: async () => {
      await runAs('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-m', 'fast', '-w', '-t', '60', 'restart']);
      await waitUntil(() => answers(admin), 'PostgreSQL after restart', 30_000, 100);
    },
    stop: async () => {
      try {
        await runAs('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
