// The PostgreSQL schema and its migrations. Several instances may start at once against one database:
// the migrations run under a session advisory lock, so exactly one applies each version and the others
// wait, then find it applied.

import type { Pool } from 'pg';

/** Schema versions, applied in order on open; each in its own transaction. Never edit one: add one. */
export const PG_MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
      CREATE TABLE reports (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        service text NOT NULL,
        problem text NOT NULL,
        country text,
        client_hash text NOT NULL,
        ip_hash text NOT NULL,
        at bigint NOT NULL
      );
      CREATE INDEX reports_dedupe ON reports (client_hash, service, at);
      CREATE INDEX reports_at ON reports (at);
      CREATE TABLE buckets (
        service text NOT NULL,
        bucket bigint NOT NULL,
        reports bigint NOT NULL,
        PRIMARY KEY (service, bucket)
      );
      CREATE INDEX buckets_bucket ON buckets (bucket);
      CREATE TABLE breakdown (
        service text NOT NULL,
        bucket bigint NOT NULL,
        kind text NOT NULL CHECK (kind IN ('problem', 'country')),
        key text NOT NULL,
        reports bigint NOT NULL,
        PRIMARY KEY (service, bucket, kind, key)
      );
      CREATE INDEX breakdown_bucket ON breakdown (bucket);
      -- Rate-limit buckets as GCRA "theoretical arrival times" (ms). Unlogged: no WAL and no fsync per
      -- check; a database crash empties it, which only resets the limits.
      CREATE UNLOGGED TABLE rate_limits (
        limiter text NOT NULL,
        key text NOT NULL,
        tat double precision NOT NULL,
        granted integer NOT NULL,
        PRIMARY KEY (limiter, key)
      );
      -- The address-hash salt of the current UTC day, shared by every instance; older ones are deleted.
      CREATE TABLE address_salt (day integer PRIMARY KEY, salt bytea NOT NULL);
    `,
  },
  {
    // Networks counted, not ids: raw reports keep only what dedupe reads; buckets count distinct
    // networks (NULL for buckets from before: each of their reports stands for its own network); a
    // per-network tally of the current bucket caps what one network adds.
    version: 2,
    sql: `
      ALTER TABLE reports DROP COLUMN problem, DROP COLUMN country, DROP COLUMN ip_hash;
      ALTER TABLE buckets ADD COLUMN networks bigint;
      CREATE TABLE network_tally (
        service text NOT NULL,
        bucket bigint NOT NULL,
        net_hash text NOT NULL,
        reports integer NOT NULL,
        PRIMARY KEY (service, bucket, net_hash)
      );
    `,
  },
  {
    // Observations from opted-in browsers: one row per (service, network, client), the client's latest
    // state; and a log per minute of the observations counted and the sample published.
    version: 3,
    sql: `
      CREATE TABLE observations (
        service text NOT NULL,
        net_hash text NOT NULL,
        client_hash text NOT NULL,
        state text NOT NULL CHECK (state IN ('down', 'up')),
        country text,
        salt_id text NOT NULL,
        at bigint NOT NULL,
        PRIMARY KEY (service, net_hash, client_hash)
      );
      CREATE INDEX observations_at ON observations (at);
      CREATE TABLE observe_minutes (
        minute bigint PRIMARY KEY,
        observations bigint NOT NULL,
        sample double precision
      );
    `,
  },
];

/** The advisory lock (two-int form, so it never meets the one-bigint dedupe locks) held while migrating. */
const MIGRATION_LOCK = [0x44_65_74_72, 1] as const; // "Detr", 1

/** Applies the missing migrations under the advisory lock; answers the schema version. */
export async function migrate(pool: Pool): Promise<number> {
  const latest = PG_MIGRATIONS.at(-1)?.version ?? 0;
  const client = await pool.connect();
  let failed: unknown;
  try {
    await client.query('SELECT pg_advisory_lock($1, $2)', [...MIGRATION_LOCK]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at bigint NOT NULL)',
      );
      const { rows } = await client.query<{ v: number | null }>(
        'SELECT MAX(version) AS v FROM schema_migrations',
      );
      const current = rows[0]?.v ?? 0;
      if (current > latest) {
        throw new Error(`database schema version ${current} is newer than this server knows (${latest})`);
      }
      for (const m of PG_MIGRATIONS) {
        if (m.version <= current) continue;
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
            m.version,
            Date.now(),
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, $2)', [...MIGRATION_LOCK]).catch(() => undefined);
    }
  } catch (error) {
    failed = error;
    throw error;
  } finally {
    // A connection that failed mid-way is dropped (release with the error), never reused.
    client.release(failed instanceof Error ? failed : undefined);
  }
  return latest;
}
