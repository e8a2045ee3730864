// PostgreSQL storage (node-postgres), for several stateless server instances on one database. Every
// batch is one transaction committed with synchronous_commit on, so an acknowledged report survives a
// database crash. Dedupe is decided inside that transaction under per-(client, service) advisory locks,
// so two instances storing reports of one client at the same moment count it exactly once.

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { CatalogId } from '../../src/core/services';
import { ALGORITHM, BUCKET_MS, bucketStart } from '../core/baseline';
import { BatchAggregates, type BucketRowRead, bucketCountOf, TallyClaims, tallyKey } from './aggregate';
import { makeObservationStore } from './postgres-observations';
import { migrate } from './postgres-schema';
import { makeSharedState } from './postgres-shared';
import { lockId, transaction } from './postgres-tx';
import {
  AGGREGATE_RETENTION_MS,
  type Breakdown,
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
  /** Most reports one network adds per service and bucket (default ALGORITHM.networkCap). */
  readonly networkCap?: number;
  /** Most clients per service and network whose observations are kept (default ALGORITHM.observeClientsPerNetwork). */
  readonly clientsPerNetwork?: number;
}

export const PG_POOL_DEFAULT = 10;
const COUNTED: ReportResult = Object.freeze({ counted: true });
const DUPLICATE: ReportResult = Object.freeze({ counted: false, reason: 'duplicate' });
const PRUNE_CHUNK = 5000;

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
async function storeCounted(
  client: pg.PoolClient,
  counted: readonly StoredReport[],
  networkCap: number,
): Promise<void> {
  if (counted.length === 0) return;
  await client.query(
    `INSERT INTO reports (client_hash, service, at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])`,
    [counted.map((r) => r.clientHash), counted.map((r) => r.service), counted.map((r) => r.at)],
  );
  // The tallies of the batch's networks, read under the advisory locks storeBatch holds: no other
  // batch changes them before this one commits.
  const keys = [
    ...new Map(counted.map((r) => [tallyKey(r.service, bucketStart(r.at), r.netHash), r])).values(),
  ];
  const { rows: stored } = await client.query<{
    service: string;
    bucket: number;
    net_hash: string;
    reports: number;
  }>(
    `SELECT t.service, t.bucket::float8 AS bucket, t.net_hash, t.reports
     FROM network_tally t JOIN unnest($1::text[], $2::bigint[], $3::text[]) AS u(s, b, h)
       ON t.service = u.s AND t.bucket = u.b AND t.net_hash = u.h`,
    [keys.map((r) => r.service), keys.map((r) => bucketStart(r.at)), keys.map((r) => r.netHash)],
  );
  const tallies = new TallyClaims(
    networkCap,
    stored.map((t) => [t.service as CatalogId, t.bucket, t.net_hash, t.reports]),
  );
  const aggregates = new BatchAggregates(tallies.claim);
  for (const r of counted) aggregates.add(r);
  const t = tallies.changed;
  const b = aggregates.buckets;
  const p = aggregates.breakdown;
  // ORDER BY: every instance locks aggregate rows in the same order, so two batches never deadlock.
  if (t.length > 0) {
    await client.query(
      `INSERT INTO network_tally (service, bucket, net_hash, reports)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::int[]) ORDER BY 1, 2, 3
       ON CONFLICT (service, bucket, net_hash) DO UPDATE SET reports = excluded.reports`,
      [t.map((r) => r[0]), t.map((r) => r[1]), t.map((r) => r[2]), t.map((r) => r[3])],
    );
  }
  if (b.length === 0) return;
  await client.query(
    `INSERT INTO buckets (service, bucket, reports, networks)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[]) ORDER BY 1, 2
     ON CONFLICT (service, bucket) DO UPDATE SET reports = buckets.reports + excluded.reports,
       networks = COALESCE(buckets.networks, buckets.reports) + excluded.networks`,
    [b.map((r) => r[0]), b.map((r) => r[1]), b.map((r) => r[2]), b.map((r) => r[3])],
  );
  await client.query(
    `INSERT INTO breakdown (service, bucket, kind, key, reports)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bigint[]) ORDER BY 1, 2, 3, 4
     ON CONFLICT (service, bucket, kind, key) DO UPDATE SET reports = breakdown.reports + excluded.reports`,
    [p.map((r) => r[0]), p.map((r) => r[1]), p.map((r) => r[2]), p.map((r) => r[3]), p.map((r) => r[4])],
  );
}

/** Decides and stores one batch inside the caller's transaction (see FeedStorage.addReports). */
async function storeBatch(
  client: pg.PoolClient,
  batch: readonly StoredReport[],
  networkCap: number,
): Promise<ReportResult[]> {
  // Lock every (client, service) and every (service, bucket, network) of the batch, all in one
  // statement and in one global order (no deadlock between batches): a concurrent batch of the same
  // client or network, on any instance, waits here until this one commits, and its next statement
  // then sees this one's reports and tallies.
  const lockKeys = new Set<bigint>();
  for (const r of batch) {
    lockKeys.add(lockId(r.clientHash, r.service));
    lockKeys.add(lockId('net', r.service, bucketStart(r.at), r.netHash));
  }
  const locks = [...lockKeys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
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
  await storeCounted(client, counted, networkCap);
  return results;
}

/** Opens a PostgreSQL feed store at `url` (postgres://…), migrating the schema first. */
export async function openPostgresStorage(url: string, options: PostgresOptions = {}): Promise<FeedStorage> {
  const now = options.now ?? Date.now;
  const networkCap = options.networkCap ?? ALGORITHM.networkCap;
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
  const { prune: pruneObservations, ...observations } = makeObservationStore(
    pool,
    ensureOpen,
    options.clientsPerNetwork ?? ALGORITHM.observeClientsPerNetwork,
  );

  return {
    kind: 'postgres',
    countingSince,
    clientKey,
    shared: makeSharedState(pool, ensureOpen),
    async addReports(batch) {
      ensureOpen();
      if (batch.length === 0) return [];
      return transaction(pool, (client) => storeBatch(client, batch, networkCap));
    },
    ...observations,
    async counts(since) {
      ensureOpen();
      const { rows } = await pool.query<BucketRowRead>(
        `SELECT service, bucket::float8 AS bucket, reports::float8 AS reports, networks::float8 AS networks
         FROM buckets WHERE bucket >= $1`,
        [since],
      );
      return rows.map(bucketCountOf);
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
      const observed = await pruneObservations(at);
      return transaction(pool, async (client) => {
        const buckets = await client.query('DELETE FROM buckets WHERE bucket < $1', [cutoff]);
        const breakdown = await client.query('DELETE FROM breakdown WHERE bucket < $1', [cutoff]);
        // Only the current bucket's tallies are read (a report lands in the bucket of its arrival).
        const networks = await client.query('DELETE FROM network_tally WHERE bucket < $1', [
          bucketStart(at) - BUCKET_MS,
        ]);
        return {
          reports,
          buckets: buckets.rowCount ?? 0,
          breakdown: breakdown.rowCount ?? 0,
          networks: networks.rowCount ?? 0,
          ...observed,
        };
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
