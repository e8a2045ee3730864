// One durable transaction on one pooled connection, and the advisory-lock ids both the reports and the
// observations of a batch are locked under (PostgreSQL storage).

import { createHash } from 'node:crypto';
import type pg from 'pg';

/** Runs `work` in one transaction on one connection; a connection that failed is dropped, not reused. */
export async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
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

/** A bigint advisory-lock id for one key: 64 bits of its SHA-256. */
export function lockId(...parts: readonly (string | number)[]): bigint {
  return createHash('sha256').update(parts.join('\0')).digest().readBigInt64BE(0);
}
