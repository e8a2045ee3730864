// SQLite storage (better-sqlite3): WAL with synchronous=FULL, so a committed transaction survives a
// crash or power loss; throughput comes from the batcher putting many reports in one transaction.

import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { ServiceId } from '../../src/core/catalog';
import { bucketStart } from '../core/baseline';
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
];

export interface SqliteOptions {
  /** The clock used for the first open's counting-since mark (tests). */
  readonly now?: () => number;
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
  const insertReport = db.prepare(
    'INSERT INTO reports (service, problem, country, client_hash, ip_hash, at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const addBucket = db.prepare(
    `INSERT INTO buckets (service, bucket, reports) VALUES (?, ?, ?)
     ON CONFLICT (service, bucket) DO UPDATE SET reports = reports + excluded.reports`,
  );
  const addBreakdown = db.prepare(
    `INSERT INTO breakdown (service, bucket, kind, key, reports) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (service, bucket, kind, key) DO UPDATE SET reports = reports + excluded.reports`,
  );
  const selectCounts = db.prepare('SELECT service, bucket, reports FROM buckets WHERE bucket >= ?');
  const selectBreakdown = db.prepare(
    `SELECT service, kind, key, SUM(reports) AS reports FROM breakdown WHERE bucket >= ?
     GROUP BY service, kind, key`,
  );
  const pruneReports = db.prepare(
    'DELETE FROM reports WHERE id IN (SELECT id FROM reports WHERE at < ? LIMIT ?)',
  );
  const pruneBuckets = db.prepare('DELETE FROM buckets WHERE bucket < ?');
  const pruneBreakdown = db.prepare('DELETE FROM breakdown WHERE bucket < ?');

  const store = db.transaction((batch: readonly StoredReport[]): ReportResult[] => {
    const results: ReportResult[] = [];
    // Aggregates are summed in memory and written once per key: a batch of 256 reports of one
    // service costs one bucket upsert, not 256.
    const buckets = new Map<string, [ServiceId, number, number]>();
    const parts = new Map<string, [ServiceId, number, 'problem' | 'country', string, number]>();
    const bump = (service: ServiceId, bucket: number, kind: 'problem' | 'country', key: string): void => {
      const id = `${service}|${bucket}|${kind}|${key}`;
      const row = parts.get(id);
      if (row) row[4]++;
      else parts.set(id, [service, bucket, kind, key, 1]);
    };
    for (const r of batch) {
      if (isDuplicate.get(r.clientHash, r.service, r.at - DEDUPE_WINDOW_MS) !== undefined) {
        results.push(DUPLICATE);
        continue;
      }
      insertReport.run(r.service, r.problem, r.country, r.clientHash, r.ipHash, r.at);
      const bucket = bucketStart(r.at);
      const id = `${r.service}|${bucket}`;
      const row = buckets.get(id);
      if (row) row[2]++;
      else buckets.set(id, [r.service, bucket, 1]);
      bump(r.service, bucket, 'problem', r.problem);
      if (r.country !== null) bump(r.service, bucket, 'country', r.country);
      results.push(COUNTED);
    }
    for (const row of buckets.values()) addBucket.run(...row);
    for (const row of parts.values()) addBreakdown.run(...row);
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
    async counts(since) {
      ensureOpen();
      return selectCounts.all(since) as BucketCount[];
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
