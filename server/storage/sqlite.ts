// SQLite storage (better-sqlite3): WAL with synchronous=FULL, so a committed transaction survives a
// crash or power loss; throughput comes from the batcher putting many reports in one transaction.

import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ALGORITHM, BUCKET_MS, bucketStart } from '../core/baseline';
import { BatchAggregates, type BucketRowRead, bucketCountOf } from './aggregate';
import { countedByMinute, ObservationClaims, type ObservationRow, pairsOf } from './observation-claims';
import {
  AGGREGATE_RETENTION_MS,
  type Breakdown,
  DEDUPE_WINDOW_MS,
  type FeedStorage,
  OBSERVATION_RETENTION_MS,
  type ObservationResult,
  type ObserveMinute,
  type ProbeCount,
  type PruneResult,
  RAW_RETENTION_MS,
  type ReportResult,
  type StoredObservation,
  type StoredReport,
} from './types';

/** Schema versions, applied in order on open; each runs in its own transaction. Never edit one: add one. */
export const MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        service TEXT NOT NULL,
        problem TEXT NOT NULL,
        country TEXT,
        client_hash TEXT NOT NULL,
        ip_hash TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX reports_dedupe ON reports (client_hash, service, at);
      CREATE INDEX reports_at ON reports (at);
      CREATE TABLE buckets (
        service TEXT NOT NULL,
        bucket INTEGER NOT NULL,
        reports INTEGER NOT NULL,
        PRIMARY KEY (service, bucket)
      ) WITHOUT ROWID;
      CREATE INDEX buckets_bucket ON buckets (bucket);
      CREATE TABLE breakdown (
        service TEXT NOT NULL,
        bucket INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('problem', 'country')),
        key TEXT NOT NULL,
        reports INTEGER NOT NULL,
        PRIMARY KEY (service, bucket, kind, key)
      ) WITHOUT ROWID;
      CREATE INDEX breakdown_bucket ON breakdown (bucket);
    `,
  },
  {
    // Networks counted, not ids: raw reports keep only what dedupe reads (problem and country are in
    // the aggregates; the address hash was never read); buckets count distinct networks (NULL for
    // buckets from before: each of their reports stands for its own network); a per-network tally of
    // the current bucket caps what one network adds.
    version: 2,
    sql: `
      ALTER TABLE reports DROP COLUMN problem;
      ALTER TABLE reports DROP COLUMN country;
      ALTER TABLE reports DROP COLUMN ip_hash;
      ALTER TABLE buckets ADD COLUMN networks INTEGER;
      CREATE TABLE network_tally (
        service TEXT NOT NULL,
        bucket INTEGER NOT NULL,
        net_hash TEXT NOT NULL,
        reports INTEGER NOT NULL,
        PRIMARY KEY (service, bucket, net_hash)
      ) WITHOUT ROWID;
    `,
  },
  {
    // Observations from opted-in browsers: one row per (service, network, client), the client's latest
    // state; and a log per minute of the observations counted and the sample published.
    version: 3,
    sql: `
      CREATE TABLE observations (
        service TEXT NOT NULL,
        net_hash TEXT NOT NULL,
        client_hash TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('down', 'up')),
        country TEXT,
        salt_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (service, net_hash, client_hash)
      ) WITHOUT ROWID;
      CREATE INDEX observations_at ON observations (at);
      CREATE TABLE observe_minutes (
        minute INTEGER PRIMARY KEY,
        observations INTEGER NOT NULL,
        sample REAL
      );
    `,
  },
];

export interface SqliteOptions {
  /** The clock used for the first open's counting-since mark (tests). */
  readonly now?: () => number;
  /** Most reports one network adds per service and bucket (default ALGORITHM.networkCap). */
  readonly networkCap?: number;
  /** Most clients per service and network whose observations are kept (default ALGORITHM.observeClientsPerNetwork). */
  readonly clientsPerNetwork?: number;
}

const COUNTED: ReportResult = Object.freeze({ counted: true });
const DUPLICATE: ReportResult = Object.freeze({ counted: false, reason: 'duplicate' });
const PRUNE_CHUNK = 5000;

function migrate(db: Database.Database): number {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)',
  );
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  const current = row.v ?? 0;
  const latest = MIGRATIONS.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(`database schema version ${current} is newer than this server knows (${latest})`);
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(
        m.version,
        Date.now(),
      );
    }).immediate();
  }
  return latest;
}

function metaValue(db: Database.Database, key: string, make: () => string): string {
  const get = db.prepare('SELECT value FROM meta WHERE key = ?');
  const found = get.get(key) as { value: string } | undefined;
  if (found) return found.value;
  db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run(key, make());
  return (get.get(key) as { value: string }).value;
}

/** Opens (creating the file and its folder if needed) and migrates a SQLite feed store. */
export async function openSqliteStorage(path: string, options: SqliteOptions = {}): Promise<FeedStorage> {
  const now = options.now ?? Date.now;
  const networkCap = options.networkCap ?? ALGORITHM.networkCap;
  const clientsPerNetwork = options.clientsPerNetwork ?? ALGORITHM.observeClientsPerNetwork;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  const countingSince = Number(metaValue(db, 'counting_since', () => String(now())));
  const clientKey = Buffer.from(
    metaValue(db, 'client_key', () => randomBytes(32).toString('hex')),
    'hex',
  );

  const isDuplicate = db.prepare(
    'SELECT 1 FROM reports WHERE client_hash = ? AND service = ? AND at > ? LIMIT 1',
  );
  const insertReport = db.prepare('INSERT INTO reports (client_hash, service, at) VALUES (?, ?, ?)');
  // One statement per report: add it to its network's tally unless the tally is at the cap, and say
  // what the tally is now (no row: at the cap).
  const claimTally = db.prepare(
    `INSERT INTO network_tally (service, bucket, net_hash, reports) VALUES (?, ?, ?, 1)
     ON CONFLICT (service, bucket, net_hash) DO UPDATE SET reports = reports + 1 WHERE reports < ?
     RETURNING reports`,
  );
  const addBucket = db.prepare(
    `INSERT INTO buckets (service, bucket, reports, networks) VALUES (?, ?, ?, ?)
     ON CONFLICT (service, bucket) DO UPDATE SET reports = reports + excluded.reports,
       networks = COALESCE(networks, reports) + excluded.networks`,
  );
  const addBreakdown = db.prepare(
    `INSERT INTO breakdown (service, bucket, kind, key, reports) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (service, bucket, kind, key) DO UPDATE SET reports = reports + excluded.reports`,
  );
  const selectCounts = db.prepare('SELECT service, bucket, reports, networks FROM buckets WHERE bucket >= ?');
  const selectBreakdown = db.prepare(
    `SELECT service, kind, key, SUM(reports) AS reports FROM breakdown WHERE bucket >= ?
     GROUP BY service, kind, key`,
  );
  const pruneReports = db.prepare(
    'DELETE FROM reports WHERE id IN (SELECT id FROM reports WHERE at < ? LIMIT ?)',
  );
  const pruneTallies = db.prepare('DELETE FROM network_tally WHERE bucket < ?');
  const pruneBuckets = db.prepare('DELETE FROM buckets WHERE bucket < ?');
  const pruneBreakdown = db.prepare('DELETE FROM breakdown WHERE bucket < ?');

  const store = db.transaction((batch: readonly StoredReport[]): ReportResult[] => {
    const results: ReportResult[] = [];
    const aggregates = new BatchAggregates((service, bucket, netHash) => {
      const row = claimTally.get(service, bucket, netHash, networkCap) as { reports: number } | undefined;
      return row ? row.reports : null;
    });
    for (const r of batch) {
      if (isDuplicate.get(r.clientHash, r.service, r.at - DEDUPE_WINDOW_MS) !== undefined) {
        results.push(DUPLICATE);
        continue;
      }
      insertReport.run(r.clientHash, r.service, r.at);
      aggregates.add(r);
      results.push(COUNTED);
    }
    for (const row of aggregates.buckets) addBucket.run(...row);
    for (const row of aggregates.breakdown) addBreakdown.run(...row);
    return results;
  });

  const selectObservations = db.prepare(
    `SELECT service, net_hash AS netHash, client_hash AS clientHash, state, country, salt_id AS saltId, at
     FROM observations WHERE service = ? AND net_hash = ?`,
  );
  const upsertObservation = db.prepare(
    `INSERT INTO observations (service, net_hash, client_hash, state, country, salt_id, at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (service, net_hash, client_hash) DO UPDATE SET state = excluded.state,
       country = excluded.country, salt_id = excluded.salt_id, at = excluded.at`,
  );
  const addMinute = db.prepare(
    `INSERT INTO observe_minutes (minute, observations) VALUES (?, ?)
     ON CONFLICT (minute) DO UPDATE SET observations = observations + excluded.observations`,
  );
  const setSample = db.prepare(
    `INSERT INTO observe_minutes (minute, observations, sample) VALUES (?, 0, ?)
     ON CONFLICT (minute) DO UPDATE SET sample = excluded.sample`,
  );
  // Per network its majority state (a tie is up) and a country its clients name, then per service and
  // country the networks down and up; only the rows hashed under one salt, the one with the most rows in
  // the window (a tie: the newest), so a network is never two and one row under a new salt blanks nothing.
  const selectProbes = db.prepare(
    `WITH newest AS (SELECT salt_id FROM observations WHERE at > ?
       GROUP BY salt_id ORDER BY COUNT(*) DESC, MAX(at) DESC LIMIT 1),
     nets AS (
       SELECT service, MAX(country) AS country,
         CASE WHEN 2 * SUM(state = 'down') > COUNT(*) THEN 1 ELSE 0 END AS down
       FROM observations WHERE at > ? AND salt_id = (SELECT salt_id FROM newest)
       GROUP BY service, net_hash)
     SELECT service, country, SUM(down) AS down, COUNT(*) - SUM(down) AS up FROM nets
     GROUP BY service, country`,
  );
  const selectMinutes = db.prepare(
    'SELECT minute, observations, sample FROM observe_minutes WHERE minute >= ?',
  );
  const pruneObservations = db.prepare('DELETE FROM observations WHERE at < ?');
  const pruneMinutes = db.prepare('DELETE FROM observe_minutes WHERE minute < ?');

  const storeObservations = db.transaction((batch: readonly StoredObservation[]): ObservationResult[] => {
    const stored = pairsOf(batch).flatMap(
      ([service, netHash]) => selectObservations.all(service, netHash) as ObservationRow[],
    );
    const claims = new ObservationClaims(clientsPerNetwork, stored);
    const results = batch.map((o) => claims.decide(o));
    for (const r of claims.changed) {
      upsertObservation.run(r.service, r.netHash, r.clientHash, r.state, r.country, r.saltId, r.at);
    }
    for (const [minute, n] of countedByMinute(batch, results)) addMinute.run(minute, n);
    return results;
  });

  let open = true;
  const ensureOpen = (): void => {
    if (!open) throw new Error('storage is closed');
  };

  return {
    kind: 'sqlite',
    countingSince,
    clientKey,
    async addReports(batch) {
      ensureOpen();
      if (batch.length === 0) return [];
      return store.immediate(batch);
    },
    async addObservations(batch) {
      ensureOpen();
      if (batch.length === 0) return [];
      return storeObservations.immediate(batch);
    },
    async probeCounts(since) {
      ensureOpen();
      return selectProbes.all(since, since) as ProbeCount[];
    },
    async observeMinutes(since) {
      ensureOpen();
      return selectMinutes.all(since) as ObserveMinute[];
    },
    async publishSample(minute, sample) {
      ensureOpen();
      setSample.run(minute, sample);
    },
    async counts(since) {
      ensureOpen();
      return (selectCounts.all(since) as BucketRowRead[]).map(bucketCountOf);
    },
    async breakdown(since) {
      ensureOpen();
      return selectBreakdown.all(since) as Breakdown[];
    },
    async prune(at): Promise<PruneResult> {
      ensureOpen();
      let reports = 0;
      // Raw reports go in chunks, yielding between them, so a big prune doesn't stall the server.
      for (;;) {
        const n = pruneReports.run(at - RAW_RETENTION_MS, PRUNE_CHUNK).changes;
        reports += n;
        if (n < PRUNE_CHUNK || !open) break;
        await new Promise((resolve) => setImmediate(resolve));
        ensureOpen();
      }
      const cutoff = at - AGGREGATE_RETENTION_MS;
      const aggregates = db.transaction(() => ({
        buckets: pruneBuckets.run(cutoff).changes,
        breakdown: pruneBreakdown.run(cutoff).changes,
        // Only the current bucket's tallies are read (a report lands in the bucket of its arrival).
        networks: pruneTallies.run(bucketStart(at) - BUCKET_MS).changes,
        observations: pruneObservations.run(at - OBSERVATION_RETENTION_MS).changes,
        observeMinutes: pruneMinutes.run(at - OBSERVATION_RETENTION_MS).changes,
      }))();
      return { reports, ...aggregates };
    },
    async close() {
      if (!open) return;
      open = false;
      try {
        db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        db.close();
      }
    },
  };
}
