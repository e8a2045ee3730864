// Observations on PostgreSQL (FeedStorage.addObservations and the reads of the feed). A batch locks
// every (service, network) pair it touches with advisory locks, in one statement and one global order,
// then reads those pairs' rows: a concurrent batch of the same network, on any instance, waits until
// this one commits and then sees its rows, so dedupe and the per-network client cap hold across
// instances. The minute's count is the batch's last write (its row lock is held the shortest).

import type pg from 'pg';
import type { CatalogId } from '../../src/core/services';
import type { ObservedState } from '../../src/shared/feed';
import { countedByMinute, ObservationClaims, pairsOf } from './observation-claims';
import { lockId, transaction } from './postgres-tx';
import {
  type FeedStorage,
  OBSERVATION_RETENTION_MS,
  type ObservationResult,
  type ObserveMinute,
  type ProbeCount,
  type StoredObservation,
} from './types';

type ObservationMethods = Pick<
  FeedStorage,
  'addObservations' | 'probeCounts' | 'observeMinutes' | 'publishSample'
>;

const PRUNE_CHUNK = 5000;

async function storeBatch(
  client: pg.PoolClient,
  batch: readonly StoredObservation[],
  clientsPerNetwork: number,
): Promise<ObservationResult[]> {
  const pairs = pairsOf(batch);
  const locks = [...new Set(pairs.map(([service, net]) => lockId('observe', service, net)))].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  await client.query('SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) AS k', [locks.map(String)]);
  const { rows } = await client.query<{
    service: CatalogId;
    netHash: string;
    clientHash: string;
    state: ObservedState;
    country: string | null;
    saltId: string;
    at: number;
  }>(
    `SELECT o.service, o.net_hash AS "netHash", o.client_hash AS "clientHash", o.state, o.country,
       o.salt_id AS "saltId", o.at::float8 AS at
     FROM observations o JOIN unnest($1::text[], $2::text[]) AS u(s, h) ON o.service = u.s AND o.net_hash = u.h`,
    [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
  );
  const claims = new ObservationClaims(clientsPerNetwork, rows);
  const results = batch.map((o) => claims.decide(o));
  const c = claims.changed;
  if (c.length > 0) {
    // ORDER BY: rows are locked in one order on every instance.
    await client.query(
      `INSERT INTO observations (service, net_hash, client_hash, state, country, salt_id, at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[])
       ORDER BY 1, 2, 3
       ON CONFLICT (service, net_hash, client_hash) DO UPDATE SET state = excluded.state,
         country = excluded.country, salt_id = excluded.salt_id, at = excluded.at`,
      [
        c.map((r) => r.service),
        c.map((r) => r.netHash),
        c.map((r) => r.clientHash),
        c.map((r) => r.state),
        c.map((r) => r.country),
        c.map((r) => r.saltId),
        c.map((r) => r.at),
      ],
    );
  }
  const minutes = countedByMinute(batch, results);
  if (minutes.length > 0) {
    await client.query(
      `INSERT INTO observe_minutes (minute, observations)
       SELECT * FROM unnest($1::bigint[], $2::bigint[]) ORDER BY 1
       ON CONFLICT (minute) DO UPDATE SET observations = observe_minutes.observations + excluded.observations`,
      [minutes.map((m) => m[0]), minutes.map((m) => m[1])],
    );
  }
  return results;
}

export function makeObservationStore(
  pool: pg.Pool,
  ensureOpen: () => void,
  clientsPerNetwork: number,
): ObservationMethods & { prune(at: number): Promise<{ observations: number; observeMinutes: number }> } {
  return {
    async addObservations(batch) {
      ensureOpen();
      if (batch.length === 0) return [];
      return transaction(pool, (client) => storeBatch(client, batch, clientsPerNetwork));
    },
    async probeCounts(since) {
      ensureOpen();
      // Per network its majority state (a tie is up) and a country its clients name, then per service
      // and country; only the rows hashed under one salt, the one with the most rows in the window (a
      // tie: the newest), so a network is never two and one row under a new salt blanks nothing.
      const { rows } = await pool.query<ProbeCount>(
        `WITH newest AS (SELECT salt_id FROM observations WHERE at > $1
           GROUP BY salt_id ORDER BY COUNT(*) DESC, MAX(at) DESC LIMIT 1),
         nets AS (
           SELECT service, MAX(country) AS country,
             CASE WHEN 2 * COUNT(*) FILTER (WHERE state = 'down') > COUNT(*) THEN 1 ELSE 0 END AS down
           FROM observations WHERE at > $1 AND salt_id = (SELECT salt_id FROM newest)
           GROUP BY service, net_hash)
         SELECT service, country, SUM(down)::float8 AS down, (COUNT(*) - SUM(down))::float8 AS up
         FROM nets GROUP BY service, country`,
        [since],
      );
      return rows;
    },
    async observeMinutes(since) {
      ensureOpen();
      const { rows } = await pool.query<ObserveMinute>(
        `SELECT minute::float8 AS minute, observations::float8 AS observations, sample
         FROM observe_minutes WHERE minute >= $1`,
        [since],
      );
      return rows;
    },
    async publishSample(minute, sample) {
      ensureOpen();
      await pool.query(
        `INSERT INTO observe_minutes (minute, observations, sample) VALUES ($1, 0, $2)
         ON CONFLICT (minute) DO UPDATE SET sample = excluded.sample`,
        [minute, sample],
      );
    },
    async prune(at) {
      let observations = 0;
      // In chunks, each its own short statement, like raw reports.
      for (;;) {
        ensureOpen();
        const res = await pool.query(
          `DELETE FROM observations WHERE ctid IN
             (SELECT ctid FROM observations WHERE at < $1 LIMIT $2)`,
          [at - OBSERVATION_RETENTION_MS, PRUNE_CHUNK],
        );
        const n = res.rowCount ?? 0;
        observations += n;
        if (n < PRUNE_CHUNK) break;
      }
      const minutes = await pool.query('DELETE FROM observe_minutes WHERE minute < $1', [
        at - OBSERVATION_RETENTION_MS,
      ]);
      return { observations, observeMinutes: minutes.rowCount ?? 0 };
    },
  };
}
