// PostgreSQL storage (node-postgres), for several stateless server instances on one database. Every
// batch is one transaction committed with synchronous_commit on, so an acknowledged report survives a
// database crash. Dedupe is decided inside that transaction under per-(client, service) advisory locks,
// so two instances storing reports of one client at the same moment count it exactly once.

import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import type { ServiceId } from '../../src/core/catalog';
import { bucketStart } from '../core/baseline';
import { migrate } from './postgres-schema';
import { makeSharedState } from './postgres-shared';
import {
  AGGREGATE_RETENTION_MS,
  type Breakdown,
  type BucketCount,
  DEDUPE_WINDOW_MS,
  type FeedStorage,
  type PruneResult,
  RAW_RETENTION_MS,
  type ReportResult,
  type StoredReport,
} from './types';

export interface PostgresOptions {
  /** The clock used for the first open's counting-since mark (tests). */
  readonly now?: () => number;
  /** Most connections this instance opens (env FEED_PG_POOL). */
  readonly poolSize?: number;
}

export const PG_POOL_DEFAULT = 10;
const COUNTED: ReportResult = Object.freeze({ counted: true });
const DUPLICATE: ReportResult = Object.freeze({ counted: false, reason: 'duplicate' });
const PRUNE_CHUNK = 5000;

/** Runs `work` in one transaction on one connection; a connection that failed is dropped, not reused. */
async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let result: T;
  try {
    // Durable commits whatever the database's or the URL's default: one simple query, no extra trip.
    await client.query('BEGIN; SET LOCAL synchronous_commit = on');
    result = await work(client);
    await client.query('COMMIT');
  } catch (error) {
    // After a lost connection (or a COMMIT whose outcome is unknown) ROLLBACK fails too: drop the client.
    const rolledBack = await client.query('ROLLBACK').then(
      () => true,
      () => false,
    );
    client.release(rolledBack ? undefined : true);
    throw error;
  }
  client.release();
  return result;
}

/** A bigint advisory-lock id for one (client hash, service) key: 64 bits of its SHA-256. */
function lockId(clientHash: string, service: string): bigint {
  return createHash('sha256').update(`${clientHash}\0${service}`).digest().readBigInt64BE(0);
}

async function metaValue(pool: pg.Pool, key: string, make: () => string): Promise<string> {
  // Two statements, not one: an INSERT racing another instance's must see that row once it committed,
  // and only a new statement's snapshot does.
  await pool.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [
    key,
    make(),
  ]);
  const { rows } = await pool.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key]);
  const value = rows[0]?.value;
  if (value === undefined) throw new Error(`meta ${key} vanished`);
  return value;
}

/** Inserts the counted reports and adds them to the aggregates, inside the caller's transaction. */
async function storeCounted(client: pg.PoolClient, counted: readonly StoredReport[]): Promise<void> {
  if (counted.length === 0) return;
  await client.query(
    `INSERT INTO reports (service, problem, country, client_hash, ip_hash, at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])`,
    [
      counted.map((r) => r.service),
      counted.map((r) => r.problem),
      counted.map((r) => r.country),
      counted.map((r) => r.clientHash),
      counted.map((r) => r.ipHash),
      counted.map((r) => r.at),
    ],
  );
  // Summed in memory, one row per key: a batch of 256 reports of one service is one bucket upsert.
  const buckets = new Map<string, [ServiceId, number, number]>();
  const parts = new Map<string, [ServiceId, number, 'problem' | 'country', string, number]>();
  const bump = (service: ServiceId, bucket: number, kind: 'problem' | 'country', key: string): void => {
    const id = `${service}|${bucket}|${kind}|${key}`;
    const row = parts.get(id);
    if (row) row[4]++;
    else parts.set(id, [service, bucket, kind, key, 1]);
  };
  for (const r of counted) {
    const bucket = bucketStart(r.at);
    const row = buckets.get(`${r.service}|${bucket}`);
    if (row) row[2]++;
    else buckets.set(`${r.service}|${bucket}`, [r.service, bucket, 1]);
    bump(r.service, bucket, 'problem', r.problem);
    if (r.country !== null) bump(r.service, bucket, 'country', r.country);
  }
  const b = [...buckets.values()];
  const p = [...parts.values()];
  // ORDER BY: every instance locks aggregate rows in the same order, so two batches never deadlock.
  await client.query(
    `INSERT INTO buckets (service, bucket, reports)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[]) ORDER BY 1, 2
     ON CONFLICT (service, bucket) DO UPDATE SET reports = buckets.reports + excluded.reports`,
    [b.map((r) => r[0]), b.map((r) => r[1]), b.map((r) => r[2])],
  );
  await client.query(
    `INSERT INTO breakdown (service, bucket, kind, key, reports)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bigint[]) ORDER BY 1, 2, 3, 4
     ON CONFLICT (service, bucket, kind, key) DO UPDATE SET reports = breakdown.reports + excluded.reports`,
    [p.map((r) => r[0]), p.map((r) => r[1]), p.map((r) => r[2]), p.map((r) => r[3]), p.map((r) => r[4])],
  );
}

/** Decides and stores one batch inside the caller's transaction (see FeedStorage.addReports). */
async function storeBatch(client: pg.PoolClient, batch: readonly StoredReport[]): Promise<ReportResult[]> {
  // Lock every (client, service) of the batch, all in one statement and in one global order (no
  // deadlock between batches): a concurrent batch of the same client, on any instance, waits here
  // until this one commits, and its next statement then sees this one's reports.
  const locks = [...new Set(batch.map((r) => lockId(r.clientHash, r.service)))].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  await client.query('SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) AS k', [locks.map(String)]);
  const { rows } = await client.query<{ client_hash: string; service: string; at: number }>(
    // Per key, the newest report by a backward scan of the (client_hash, service, at) index: one index
    // probe per key however many reports the key has.
    `SELECT u.c AS client_hash, u.s AS service, m.at
     FROM (SELECT DISTINCT c, s FROM unnest($1::text[], $2::text[]) AS u(c, s)) AS u
     CROSS JOIN LATERAL (
       SELECT MAX(at)::float8 AS at FROM reports r WHERE r.client_hash = u.c AND r.service = u.s
     ) AS m
     WHERE m.at IS NOT NULL`,
    [batch.map((r) => r.clientHash), batch.map((r) => r.service)],
  );
  // A report counts when the latest counted report of its key is not in the window before it; the
  // latest is enough ("any at > t - window" ⇔ "max(at) > t - window"), earlier ones of the batch included.
  const latest = new Map(rows.map((r) => [`${r.client_hash}\0${r.service}`, r.at]));
  const results: ReportResult[] = [];
  const counted: StoredReport[] = [];
  for (const r of batch) {
    const key = `${r.clientHash}\0${r.service}`;
    const last = latest.get(key);
    if (last !== undefined && last > r.at - DEDUPE_WINDOW_MS) {
      results.push(DUPLICATE);
      continue;
    }
    latest.set(key, Math.max(last ?? r.at, r.at));
    counted.push(r);
    results.push(COUNTED);
  }
  await storeCounted(client, counted);
  return results;
}

/** Opens a PostgreSQL feed store at `url` (postgres://…), migrating the schema first. */
export async function openPostgresStorage(url: string, options: PostgresOptions = {}): Promise<FeedStorage> {
  const now = options.now ?? Date.now;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? PG_POOL_DEFAULT,
    // While the database is away a request fails within seconds (503) instead of hanging.
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    // No statement holds a connection forever (a lock wait included); the client gives up a bit later.
    statement_timeout: 15_000,
    query_timeout: 20_000,
    application_name: 'detour-feed',
  });
  // A connection the database drops (restart, failover) must not crash the process: idle ones report on
  // the pool, busy ones on the client; either way the failing query rejects and the client is dropped.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  let countingSince: number;
  let clientKey: Buffer;
  try {
    await migrate(pool);
    countingSince = Number(await metaValue(pool, 'counting_since', () => String(now())));
    clientKey = Buffer.from(
      await metaValue(pool, 'client_key', () => randomBytes(32).toString('hex')),
      'hex',
    );
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }

  let open = true;
  let closing: Promise<void> | null = null;
  const ensureOpen = (): void => {
    if (!open) throw new Error('storage is closed');
  };

  return {
    kind: 'postgres',
    countingSince,
    clientKey,
    shared: makeSharedState(pool, ensureOpen),
    async addReports(batch) {
      ensureOpen();
      if (batch.length === 0) return [];
      return transaction(pool, (client) => storeBatch(client, batch));
    },
    async counts(since) {
      ensureOpen();
      const { rows } = await pool.query<BucketCount>(
        'SELECT service, bucket::float8 AS bucket, reports::float8 AS reports FROM buckets WHERE bucket >= $1',
        [since],
      );
      return rows;
    },
    async breakdown(since) {
      ensureOpen();
      const { rows } = await pool.query<Breakdown>(
        `SELECT service, kind, key, SUM(reports)::float8 AS reports FROM breakdown WHERE bucket >= $1
         GROUP BY service, kind, key`,
        [since],
      );
      return rows;
    },
    async prune(at): Promise<PruneResult> {
      ensureOpen();
      let reports = 0;
      // Raw reports go in chunks, each its own short transaction, so a big prune holds no long locks.
      for (;;) {
        const res = await pool.query(
          'DELETE FROM reports WHERE id IN (SELECT id FROM reports WHERE at < $1 LIMIT $2)',
          [at - RAW_RETENTION_MS, PRUNE_CHUNK],
        );
        const n = res.rowCount ?? 0;
        reports += n;
        if (n < PRUNE_CHUNK) break;
        ensureOpen();
      }
      const cutoff = at - AGGREGATE_RETENTION_MS;
      return transaction(pool, async (client) => {
        const buckets = await client.query('DELETE FROM buckets WHERE bucket < $1', [cutoff]);
        const breakdown = await client.query('DELETE FROM breakdown WHERE bucket < $1', [cutoff]);
        return { reports, buckets: buckets.rowCount ?? 0, breakdown: breakdown.rowCount ?? 0 };
      });
    },
    close() {
      open = false;
      // pool.end() waits for the connections in use (a batch mid-commit finishes) and may run only once.
      closing ??= pool.end();
      return closing;
    },
  };
}
