// The FeedStorage contract on PostgreSQL (the same suite SQLite passes), then what only a shared
// database has to get right: migrations when instances start at once, dedupe and aggregates when two
// instances store one client's reports at the same moment, the shared rate-limit buckets and salt.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALGORITHM } from '../core/baseline';
import { openPostgresStorage } from '../storage/postgres';
import type { FeedStorage, SharedState, StoredObservation, StoredReport } from '../storage/types';
import { T0 } from './helpers';
import { type PgCluster, startPgCluster } from './pg-cluster';
import { describeStorageSuite } from './storage-suite';

let cluster: PgCluster;
beforeAll(async () => {
  // fsync off: this file tests logic, not the disk (the fault tests run with fsync on).
  cluster = await startPgCluster({ fsync: false });
});
afterAll(() => cluster?.destroy());

describeStorageSuite('postgres', async ({ now }) => {
  const url = await cluster.createDatabase();
  const handles: FeedStorage[] = [await openPostgresStorage(url, { now })];
  return {
    storage: handles[0] as FeedStorage,
    reopen: async () => {
      const again = await openPostgresStorage(url, { now });
      handles.push(again);
      return again;
    },
    cleanup: async () => {
      for (const h of handles.splice(0)) await h.close();
    },
  };
});

const MIN = 60_000;
const rep = (client: string, at = T0 + MIN): StoredReport => ({
  service: 'whatsapp',
  problem: 'messages',
  country: 'IT',
  clientHash: `hash-${client}`,
  netHash: `net-${client}`,
  at,
});

/** Two handles on one fresh database, as two server instances would have. */
async function twoInstances(): Promise<{ a: FeedStorage; b: FeedStorage; close: () => Promise<void> }> {
  const url = await cluster.createDatabase();
  const [a, b] = await Promise.all([openPostgresStorage(url), openPostgresStorage(url)]);
  return { a, b, close: async () => void (await Promise.all([a.close(), b.close()])) };
}

function sharedOf(storage: FeedStorage): SharedState {
  if (!storage.shared) throw new Error('no shared state');
  return storage.shared;
}

describe('PostgreSQL with several instances', () => {
  it('migrates once when four instances start at once, and they agree on clientKey and countingSince', async () => {
    const url = await cluster.createDatabase();
    const stores = await Promise.all(
      [1, 2, 3, 4].map((i) => openPostgresStorage(url, { now: () => T0 + i })),
    );
    try {
      const keys = new Set(stores.map((s) => Buffer.from(s.clientKey).toString('hex')));
      expect(keys.size).toBe(1);
      expect(new Set(stores.map((s) => s.countingSince)).size).toBe(1);
      const name = url.slice(url.lastIndexOf('/') + 1);
      expect(await cluster.query(name, 'SELECT version FROM schema_migrations ORDER BY version')).toEqual([
        { version: 1 },
        { version: 2 },
        { version: 3 },
      ]);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('counts a client once when two instances store its reports at the same moment', async () => {
    const { a, b, close } = await twoInstances();
    try {
      for (let round = 0; round < 5; round++) {
        // Each batch: the contested client plus 20 others of its own; 8 batches per instance at once.
        const batches = Array.from({ length: 16 }, (_, i) => [
          rep(`contested-${round}`, T0 + MIN + i),
          ...Array.from({ length: 20 }, (_, j) => rep(`r${round}-b${i}-c${j}`)),
        ]);
        const answers = await Promise.all(batches.map((batch, i) => (i % 2 ? a : b).addReports(batch)));
        expect(answers.map((x) => x[0]?.counted).filter(Boolean)).toHaveLength(1);
        expect(answers.flatMap((x) => x.slice(1)).every((r) => r.counted)).toBe(true);
      }
      const total = (await a.counts(0)).reduce((n, c) => n + c.reports, 0);
      expect(total).toBe(5 * (1 + 16 * 20));
      const messages = (await b.breakdown(0)).find((r) => r.kind === 'problem' && r.key === 'messages');
      expect(messages?.reports).toBe(total);
    } finally {
      await close();
    }
  });

  it('caps one network across instances storing its reports at the same moment', async () => {
    const { a, b, close } = await twoInstances();
    try {
      // 16 batches at once, each with 3 clients of one shared network and 5 clients of networks of their own.
      const batches = Array.from({ length: 16 }, (_, i) => [
        ...[0, 1, 2].map((j) => ({ ...rep(`shared-${i}-${j}`), netHash: 'net-shared' })),
        ...Array.from({ length: 5 }, (_, j) => rep(`own-${i}-${j}`)),
      ]);
      const answers = await Promise.all(batches.map((batch, i) => (i % 2 ? a : b).addReports(batch)));
      expect(answers.flat().every((r) => r.counted)).toBe(true);
      expect(await a.counts(0)).toEqual([
        { service: 'whatsapp', bucket: T0, reports: ALGORITHM.networkCap + 16 * 5, networks: 1 + 16 * 5 },
      ]);
    } finally {
      await close();
    }
  });

  it('keeps one network’s clients under the cap, and dedupes a client, across instances at the same moment', async () => {
    const { a, b, close } = await twoInstances();
    try {
      const cap = ALGORITHM.observeClientsPerNetwork;
      const observation = (client: string, at = T0 + MIN): StoredObservation => ({
        services: [['whatsapp', 'down']],
        country: 'IT',
        clientHash: `hash-${client}`,
        netHash: 'net-shared',
        saltId: 'salt',
        at,
      });
      // 24 batches at once, each with 2 new clients of the shared network and a repeat of one client.
      const batches = Array.from({ length: 24 }, (_, i) => [
        observation(`shared-${i}-0`),
        observation(`shared-${i}-1`),
        observation('repeated', T0 + MIN + i),
      ]);
      const answers = await Promise.all(batches.map((batch, i) => (i % 2 ? a : b).addObservations(batch)));
      expect(answers.flat().filter((r) => r.counted)).toHaveLength(cap);
      expect(await a.probeCounts(0)).toEqual([{ service: 'whatsapp', country: 'IT', down: 1, up: 0 }]);
      const minutes = await b.observeMinutes(0);
      expect(minutes.reduce((n, m) => n + m.observations, 0)).toBe(cap);
    } finally {
      await close();
    }
  });

  it('shares rate-limit buckets: a burst of perMinute across instances, then one every 60/perMinute s', async () => {
    const { a, b, close } = await twoInstances();
    try {
      const [sa, sb] = [sharedOf(a), sharedOf(b)];
      const take = (s: SharedState, count: number, now: number) =>
        s.takeTokens('client', 6, [{ key: 'k', count }], now);
      expect(await take(sa, 4, T0)).toEqual([{ granted: 4, retryAfterMs: 0 }]);
      // The other instance sees the same bucket: 2 left of 6, then empty, next token in 10 s.
      expect(await take(sb, 3, T0)).toEqual([{ granted: 2, retryAfterMs: 10_000 }]);
      expect(await take(sa, 1, T0 + 4_000)).toEqual([{ granted: 0, retryAfterMs: 6_000 }]);
      expect((await take(sb, 1, T0 + 10_000))[0]?.granted).toBe(1);
      // A minute idle refills it to the burst, not beyond.
      expect((await take(sa, 9, T0 + 10 * MIN))[0]?.granted).toBe(6);
      // Another limiter name, another key: buckets of their own; several keys in one call.
      const many = await sa.takeTokens(
        'ip',
        2,
        [
          { key: 'k', count: 1 },
          { key: 'x', count: 5 },
        ],
        T0,
      );
      expect(many.map((g) => g.granted)).toEqual([1, 2]);
      expect(await sb.pruneTokens(T0 + 20 * MIN)).toBe(3);
    } finally {
      await close();
    }
  });

  it('grants exactly perMinute when both instances race for one bucket', async () => {
    const { a, b, close } = await twoInstances();
    try {
      const grants = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          sharedOf(i % 2 ? a : b).takeTokens('ip', 30, [{ key: 'flood', count: 1 }], T0 + i),
        ),
      );
      expect(grants.reduce((n, g) => n + (g[0]?.granted ?? 0), 0)).toBe(30);
    } finally {
      await close();
    }
  });

  it('shares one address salt per UTC day and deletes the previous day', async () => {
    const { a, b, close } = await twoInstances();
    try {
      const day = Math.floor(T0 / 86_400_000);
      const [s1, s2] = await Promise.all([sharedOf(a).dailySalt(day), sharedOf(b).dailySalt(day)]);
      expect(Buffer.from(s1).equals(Buffer.from(s2))).toBe(true);
      const next = await sharedOf(b).dailySalt(day + 1);
      expect(Buffer.from(next).equals(Buffer.from(s1))).toBe(false);
      // Yesterday's is gone: an instance still on yesterday's clock gets today's, not a new one.
      expect(Buffer.from(await sharedOf(a).dailySalt(day)).equals(Buffer.from(next))).toBe(true);
    } finally {
      await close();
    }
  });
});
