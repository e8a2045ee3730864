// A throwaway PostgreSQL server for the tests, from Debian's own binaries (package `postgresql`): initdb
// into a temporary folder, listen on 127.0.0.1 on a free port with trust auth, stop and remove it after.
// Nothing of the machine's own clusters is touched. PostgreSQL refuses to run as root, so as root the
// server runs as the `postgres` user the Debian package makes (or $PG_TEST_USER). $PG_BIN picks the
// binaries' folder; otherwise the newest /usr/lib/postgresql/<version>/bin, then $PATH.

import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const PG_MISSING = `PostgreSQL server binaries (initdb, pg_ctl) not found. The PostgreSQL tests need them:
  Debian/Ubuntu: sudo apt-get install -y postgresql   (.ci/run does this)
  elsewhere: set PG_BIN to the folder holding initdb and pg_ctl`;

/** The folder with initdb and pg_ctl, or null. */
export function findPgBin(): string | null {
  const has = (dir: string): boolean => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'));
  if (process.env.PG_BIN) return has(process.env.PG_BIN) ? process.env.PG_BIN : null;
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const v of versions) if (has(join(base, v, 'bin'))) return join(base, v, 'bin');
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && has(dir)) return dir;
  return null;
}

export interface PgCluster {
  readonly port: number;
  /** postgres://detour@127.0.0.1:<port>/<database> */
  url(database: string): string;
  /** Creates an empty database with a fresh name and answers its URL. */
  createDatabase(): Promise<string>;
  /** Runs one query on `database` on a connection of its own. */
  query<R extends pg.QueryResultRow>(database: string, sql: string, params?: unknown[]): Promise<R[]>;
  /** pg_ctl stop: `fast` disconnects everyone cleanly, `immediate` is a crash (recovery on start). */
  stop(mode?: 'fast' | 'immediate'): void;
  start(): void;
  /** Stops the server and removes its folder. */
  destroy(): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

const live = new Set<() => void>();
// A test run that ends without its afterAll (a crash, a timeout) must not leave a server behind.
process.once('exit', () => {
  for (const stop of live) stop();
});

let databases = 0;

/** Starts a private PostgreSQL server; throws PG_MISSING when the binaries aren't installed. */
export async function startPgCluster(options: { fsync?: boolean } = {}): Promise<PgCluster> {
  const bin = findPgBin();
  if (!bin) throw new Error(PG_MISSING);
  const dir = mkdtempSync(join(tmpdir(), 'detour-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const user = process.env.PG_TEST_USER ?? 'postgres';
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', user]).toString().trim());
    const gid = Number(execFileSync('id', ['-g', user]).toString().trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o755);
  const run = (tool: string, args: string[]): void => {
    const [cmd, argv] = asRoot
      ? ['runuser', ['-u', user, '--', join(bin, tool), ...args]]
      : [join(bin, tool), args];
    const res = spawnSync(cmd, argv, { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    if (res.status !== 0) {
      throw new Error(`${tool} ${args.join(' ')} failed (${res.status}): ${res.stderr || res.stdout}`);
    }
  };
  run('initdb', ['-D', data, '-U', 'detour', '-A', 'trust', '-E', 'UTF8', '--locale=C', '-N']);
  const port = await freePort();
  const conf = [
    "listen_addresses = '127.0.0.1'",
    `port = ${port}`,
    `unix_socket_directories = '${dir}'`,
    'max_connections = 200',
    `fsync = ${options.fsync === false ? 'off' : 'on'}`,
    'log_min_messages = warning',
  ];
  writeFileSync(join(data, 'postgresql.auto.conf'), `${conf.join('\n')}\n`);
  const logFile = join(dir, 'server.log');
  let running = false;
  const start = (): void => {
    run('pg_ctl', ['-D', data, '-l', logFile, '-w', '-t', '60', 'start']);
    running = true;
  };
  const stop = (mode: 'fast' | 'immediate' = 'fast'): void => {
    if (!running) return;
    run('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
    running = false;
  };
  const emergencyStop = (): void => {
    try {
      stop('immediate');
    } catch {}
  };
  live.add(emergencyStop);
  start();
  const url = (database: string): string => `postgres://detour@127.0.0.1:${port}/${database}`;
  const query = async <R extends pg.QueryResultRow>(
    database: string,
    sql: string,
    params: unknown[] = [],
  ): Promise<R[]> => {
    const client = new pg.Client({ connectionString: url(database) });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return (await client.query<R>(sql, params)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    port,
    url,
    query,
    async createDatabase() {
      const name = `feed_${process.pid}_${++databases}`;
      await query('postgres', `CREATE DATABASE ${name}`);
      return url(name);
    },
    stop,
    start,
    destroy() {
      live.delete(emergencyStop);
      emergencyStop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
