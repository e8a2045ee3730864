// What several instances on one PostgreSQL database share besides the reports: rate-limit buckets and
// the daily address-hash salt. Each is one statement per call, safe when instances race.

import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { SharedState, TokenGrant, TokenRequest } from './types';

const MINUTE_MS = 60_000;

/**
 * GCRA, the token bucket as one number per key: `tat` is when the bucket would be full again. Taking n
 * tokens moves it n × T later (T = 60 000 / perMinute ms) as long as it stays within one minute of now,
 * which is a burst of perMinute and a refill of perMinute a minute, like the in-memory RateLimiter.
 * One upsert for the whole list of keys; ORDER BY locks rows in one order on every instance (no deadlock).
 * The epsilon keeps float rounding from losing a whole token.
 */
const TAKE_SQL = `
  INSERT INTO rate_limits AS r (limiter, key, tat, granted)
  SELECT $1::text, u.k, $4::float8 + LEAST(u.n, $6::int) * $5::float8, LEAST(u.n, $6::int)
  FROM unnest($2::text[], $3::int[]) AS u(k, n)
  ORDER BY u.k
  ON CONFLICT (limiter, key) DO UPDATE SET
    granted = LEAST(excluded.granted,
      GREATEST(0, FLOOR(($7::float8 - (GREATEST(r.tat, $4::float8) - $4::float8)) / $5::float8 + 1e-9)))::int,
    tat = GREATEST(r.tat, $4::float8) + $5::float8 * LEAST(excluded.granted,
      GREATEST(0, FLOOR(($7::float8 - (GREATEST(r.tat, $4::float8) - $4::float8)) / $5::float8 + 1e-9)))
  RETURNING key, tat, granted`;

export function makeSharedState(pool: pg.Pool, ensureOpen: () => void): SharedState {
  return {
    async takeTokens(limiter, perMinute, requests: readonly TokenRequest[], now): Promise<TokenGrant[]> {
      ensureOpen();
      if (requests.length === 0) return [];
      const interval = MINUTE_MS / perMinute;
      const { rows } = await pool.query<{ key: string; tat: number; granted: number }>(TAKE_SQL, [
        limiter,
        requests.map((r) => r.key),
        requests.map((r) => r.count),
        now,
        interval,
        perMinute,
        MINUTE_MS,
      ]);
      const byKey = new Map(rows.map((r) => [r.key, r]));
      return requests.map((r) => {
        const row = byKey.get(r.key);
        if (!row) throw new Error('rate limit: a key got no answer');
        // The next token is there once the bucket is one interval below full.
        return { granted: row.granted, retryAfterMs: Math.max(0, row.tat - (MINUTE_MS - interval) - now) };
      });
    },

    async pruneTokens(now) {
      ensureOpen();
      // SKIP LOCKED: a prune never waits on (or deadlocks with) a check updating the same row.
      const res = await pool.query(
        `DELETE FROM rate_limits WHERE ctid IN
           (SELECT ctid FROM rate_limits WHERE tat <= $1 FOR UPDATE SKIP LOCKED)`,
        [now],
      );
      return res.rowCount ?? 0;
    },

    async dailySalt(day) {
      ensureOpen();
      // The first instance to ask makes the day's salt. An instance whose clock is still on yesterday
      // after another made today's doesn't bring yesterday's back: it takes today's.
      await pool.query(
        `INSERT INTO address_salt (day, salt)
         SELECT $1, $2 WHERE NOT EXISTS (SELECT 1 FROM address_salt WHERE day > $1)
         ON CONFLICT (day) DO NOTHING`,
        [day, randomBytes(32)],
      );
      const { rows } = await pool.query<{ salt: Buffer }>(
        'SELECT salt FROM address_salt WHERE day >= $1 ORDER BY day LIMIT 1',
        [day],
      );
      const salt = rows[0]?.salt;
      if (!salt) throw new Error('address salt: none for this day');
      // Yesterday's salt goes as soon as today's exists: nobody can recompute yesterday's hashes.
      await pool.query('DELETE FROM address_salt WHERE day < $1', [day]);
      return salt;
    },

    async ping() {
      ensureOpen();
      await pool.query('SELECT 1');
    },
  };
}
