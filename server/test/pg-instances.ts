// Helpers for the tests that run several feed server processes on one PostgreSQL database.

import { hashClient } from '../privacy';
import { type FeedProcess, http, spawnFeed } from './helpers';
import type { PgCluster } from './pg-cluster';

/** Starts `npm run feed` on a PostgreSQL URL, on a free port; `running` collects it for cleanup. */
export async function feedOnPostgres(
  url: string,
  running: FeedProcess[],
  extra: readonly string[] = [],
): Promise<FeedProcess> {
  const p = await spawnFeed(['--port', '0', '--host', '127.0.0.1', '--db', url, ...extra]);
  running.push(p);
  return p;
}

/** SIGKILLs what is still running and waits for it. */
export async function killAll(running: FeedProcess[]): Promise<void> {
  for (const p of running.splice(0)) {
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await p.exited;
  }
}

/** The database name at the end of a postgres:// URL. */
export function databaseOf(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}

/** What the database holds: stored client hashes, report rows, the sum of the bucket counts, the key. */
export async function storedOnPostgres(
  cluster: PgCluster,
  url: string,
): Promise<{ hashes: Set<string>; rows: number; bucketSum: number; key: Buffer }> {
  const db = databaseOf(url);
  const [meta] = await cluster.query<{ value: string }>(
    db,
    "SELECT value FROM meta WHERE key = 'client_key'",
  );
  const reports = await cluster.query<{ client_hash: string }>(db, 'SELECT client_hash FROM reports');
  const [sum] = await cluster.query<{ n: string }>(db, 'SELECT COALESCE(SUM(reports), 0) AS n FROM buckets');
  return {
    hashes: new Set(reports.map((r) => r.client_hash)),
    rows: reports.length,
    bucketSum: Number(sum?.n ?? 0),
    key: Buffer.from(meta?.value ?? '', 'hex'),
  };
}

/** Acknowledged client ids that the database doesn't hold. */
export function missingFrom(stored: { hashes: Set<string>; key: Buffer }, acked: Iterable<string>): string[] {
  return [...acked].filter((id) => !stored.hashes.has(hashClient(stored.key, id)));
}

/** Polls `probe` every 50 ms until it answers true; throws after `timeoutMs`. */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 15_000,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await probe().catch(() => false)) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** True once /healthz answers 200. */
export async function healthy(p: FeedProcess): Promise<boolean> {
  return (await http(`${p.url}/healthz`)).status === 200;
}
