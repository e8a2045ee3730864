// The contract every FeedStorage implementation must pass (SQLite and PostgreSQL; the observations part is
// in storage-observations-suite.ts, run from here): only the interface is used, never a table, a file or
// a driver. `open` makes a fresh, empty store on the given clock; `reopen` opens the same data again
// after the test closed the first handle; `cleanup` closes whatever is still open and removes the data.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CatalogId } from '../../src/core/services';
import type { Problem } from '../../src/shared/feed';
import { ALGORITHM } from '../core/baseline';
import {
  AGGREGATE_RETENTION_MS,
  type Breakdown,
  type BucketCount,
  DEDUPE_WINDOW_MS,
  type FeedStorage,
  RAW_RETENTION_MS,
  type ReportResult,
  type StoredReport,
} from '../storage/types';
import { type Clock, fakeClock, T0 } from './helpers';
import { describeObservationStorage } from './storage-observations-suite';

export interface OpenedStorage {
  readonly storage: FeedStorage;
  /** Opens the same data again, on the same clock (the caller closed the previous handle). */
  readonly reopen: () => Promise<FeedStorage>;
  /** Closes every handle still open and removes the data. */
  readonly cleanup: () => Promise<void>;
}

export type OpenStorage = (opts: { now: () => number }) => Promise<OpenedStorage>;

const MIN = 60_000;
const BUCKET = 15 * MIN;
const COUNTED: ReportResult = { counted: true };
const DUPLICATE: ReportResult = { counted: false, reason: 'duplicate' };

/**
 * A report by client `n` from a network of its own at `at` (default T0 + 1 min), whatsapp/messages/IT
 * unless overridden.
 */
function rep(n: number | string, overrides: Partial<StoredReport> = {}): StoredReport {
  return {
    service: 'whatsapp',
    problem: 'messages',
    country: 'IT',
    clientHash: `hash-of-client-${n}`,
    netHash: `hash-of-network-${n}`,
    at: T0 + MIN,
    ...overrides,
  };
}

const byKey =
  <T extends { service: string }>(key: (row: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
const sortCounts = (rows: BucketCount[]): BucketCount[] =>
  [...rows].sort(byKey((r) => `${r.service}|${String(r.bucket).padStart(16, '0')}`));
const sortBreakdown = (rows: Breakdown[]): Breakdown[] =>
  [...rows].sort(byKey((r) => `${r.service}|${r.kind}|${r.key}`));

/** The total of counts() for one service. */
async function total(storage: FeedStorage, service: CatalogId = 'whatsapp'): Promise<number> {
  const rows = await storage.counts(0);
  return rows.filter((r) => r.service === service).reduce((sum, r) => sum + r.reports, 0);
}

export function describeStorageSuite(name: string, open: OpenStorage): void {
  describe(`FeedStorage contract: ${name}`, () => {
    let clock: Clock;
    let opened: OpenedStorage;
    let storage: FeedStorage;
    beforeEach(async () => {
      clock = fakeClock(T0);
      opened = await open({ now: clock.now });
      storage = opened.storage;
    });
    afterEach(async () => {
      await opened.cleanup();
    });

    describe('addReports', () => {
      it('answers an empty batch with no results', async () => {
        expect(await storage.addReports([])).toEqual([]);
      });

      it('answers per report, in the batch order', async () => {
        const results = await storage.addReports([
          rep(1),
          rep(2),
          rep(1, { problem: 'login' }),
          rep(3, { service: 'slack' }),
          rep(2, { at: T0 + 2 * MIN }),
          rep(1, { service: 'slack' }),
        ]);
        expect(results).toEqual([COUNTED, COUNTED, DUPLICATE, COUNTED, DUPLICATE, COUNTED]);
      });

      // [case, ms after the counted report, the second report's service, expected answer]
      it.each([
        ['same moment', 0, 'whatsapp', DUPLICATE],
        ['10 min later', 10 * MIN, 'whatsapp', DUPLICATE],
        ['1 ms before the window ends', DEDUPE_WINDOW_MS - 1, 'whatsapp', DUPLICATE],
        ['exactly at the window edge', DEDUPE_WINDOW_MS, 'whatsapp', COUNTED],
        ['45 min later', 45 * MIN, 'whatsapp', COUNTED],
        ['another service, same moment', 0, 'telegram', COUNTED],
        ['another service, 10 min later', 10 * MIN, 'slack', COUNTED],
      ] as const)('dedupes per client and service: %s, %s', async (_, after, service, expected) => {
        const second = rep(1, { service, at: T0 + MIN + after });
        // Across batches ...
        expect(await storage.addReports([rep(1)])).toEqual([COUNTED]);
        expect(await storage.addReports([second])).toEqual([expected]);
        // ... and within one batch, with the same answer.
        const other = rep('in-batch');
        expect(await storage.addReports([other, { ...second, clientHash: other.clientHash }])).toEqual([
          COUNTED,
          expected,
        ]);
      });

      it('stores no duplicates: they neither count nor extend the window', async () => {
        expect(await storage.addReports([rep(1)])).toEqual([COUNTED]);
        expect(await storage.addReports([rep(1, { at: T0 + 20 * MIN, problem: 'calls' })])).toEqual([
          DUPLICATE,
        ]);
        expect(await total(storage)).toBe(1);
        expect((await storage.breakdown(0)).find((b) => b.key === 'calls')).toBeUndefined();
        // 30 min after the counted report (10 after the duplicate): counts again.
        expect(await storage.addReports([rep(1, { at: T0 + 31 * MIN })])).toEqual([COUNTED]);
        expect(await total(storage)).toBe(2);
      });

      it('decides concurrent batches of one client atomically: exactly one counts', async () => {
        const answers = await Promise.all(
          Array.from({ length: 8 }, (_, i) => storage.addReports([rep(1, { at: T0 + MIN + i })])),
        );
        expect(answers.flat().filter((a) => a.counted)).toHaveLength(1);
        expect(await total(storage)).toBe(1);
      });
    });

    describe('aggregates', () => {
      it('counts counted reports per service and 15-minute bucket', async () => {
        await storage.addReports([
          rep(1, { at: T0 }),
          rep(2, { at: T0 + BUCKET - 1 }),
          rep(3, { at: T0 + BUCKET }),
          rep(3, { at: T0 + BUCKET + MIN }), // duplicate
          rep(4, { at: T0 + 2 * BUCKET + 5 * MIN, service: 'telegram' }),
        ]);
        expect(sortCounts(await storage.counts(0))).toEqual([
          { service: 'telegram', bucket: T0 + 2 * BUCKET, reports: 1, networks: 1 },
          { service: 'whatsapp', bucket: T0, reports: 2, networks: 2 },
          { service: 'whatsapp', bucket: T0 + BUCKET, reports: 1, networks: 1 },
        ]);
        // Buckets starting at or after `since` only.
        expect(sortCounts(await storage.counts(T0 + BUCKET))).toEqual([
          { service: 'telegram', bucket: T0 + 2 * BUCKET, reports: 1, networks: 1 },
          { service: 'whatsapp', bucket: T0 + BUCKET, reports: 1, networks: 1 },
        ]);
        expect(await storage.counts(T0 + 3 * BUCKET)).toEqual([]);
      });

      it('sums problems and countries over the buckets since, leaving out a null country', async () => {
        const problems: [Problem, string | null][] = [
          ['messages', 'GB'],
          ['messages', 'GB'],
          ['login', null],
          ['calls', 'US'],
        ];
        await storage.addReports(problems.map(([problem, country], i) => rep(i, { problem, country })));
        await storage.addReports([
          rep('later', { at: T0 + BUCKET + MIN, problem: 'app', country: 'GB' }),
          rep('slack', { service: 'slack', problem: 'connection', country: 'IN' }),
        ]);
        expect(sortBreakdown(await storage.breakdown(0))).toEqual([
          { service: 'slack', kind: 'country', key: 'IN', reports: 1 },
          { service: 'slack', kind: 'problem', key: 'connection', reports: 1 },
          { service: 'whatsapp', kind: 'country', key: 'GB', reports: 3 },
          { service: 'whatsapp', kind: 'country', key: 'US', reports: 1 },
          { service: 'whatsapp', kind: 'problem', key: 'app', reports: 1 },
          { service: 'whatsapp', kind: 'problem', key: 'calls', reports: 1 },
          { service: 'whatsapp', kind: 'problem', key: 'login', reports: 1 },
          { service: 'whatsapp', kind: 'problem', key: 'messages', reports: 2 },
        ]);
        expect(sortBreakdown(await storage.breakdown(T0 + BUCKET))).toEqual([
          { service: 'whatsapp', kind: 'country', key: 'GB', reports: 1 },
          { service: 'whatsapp', kind: 'problem', key: 'app', reports: 1 },
        ]);
      });
    });

    describe('networks', () => {
      const cap = ALGORITHM.networkCap;
      /** `n` reports of distinct clients from network `net`. */
      const fromNetwork = (net: string, n: number, overrides: Partial<StoredReport> = {}): StoredReport[] =>
        Array.from({ length: n }, (_, i) => rep(`${net}-${i}`, { netHash: `net-${net}`, ...overrides }));

      it(`adds at most ${cap} reports per network, service and bucket, each answered as counted`, async () => {
        const answers = await storage.addReports(
          fromNetwork('a', 10).map((r, i) => ({ ...r, problem: i < cap ? 'messages' : 'calls' })),
        );
        expect(answers).toEqual(Array(10).fill(COUNTED));
        expect(await storage.counts(0)).toEqual([
          { service: 'whatsapp', bucket: T0, reports: cap, networks: 1 },
        ]);
        // The reports past the cap add nothing to the breakdown either.
        expect(sortBreakdown(await storage.breakdown(0))).toEqual([
          { service: 'whatsapp', kind: 'country', key: 'IT', reports: cap },
          { service: 'whatsapp', kind: 'problem', key: 'messages', reports: cap },
        ]);
        // Their clients still count for dedupe.
        expect(await storage.addReports(fromNetwork('a', 10, { at: T0 + 2 * MIN }))).toEqual(
          Array(10).fill(DUPLICATE),
        );
      });

      it('keeps the cap across batches, buckets and services', async () => {
        for (let i = 0; i < 5; i++) await storage.addReports([rep(`b${i}`, { netHash: 'net-b' })]);
        await storage.addReports(fromNetwork('b-next', 5, { netHash: 'net-b', at: T0 + BUCKET + MIN }));
        await storage.addReports(fromNetwork('b-slack', 5, { netHash: 'net-b', service: 'slack' }));
        expect(sortCounts(await storage.counts(0))).toEqual([
          { service: 'slack', bucket: T0, reports: cap, networks: 1 },
          { service: 'whatsapp', bucket: T0, reports: cap, networks: 1 },
          { service: 'whatsapp', bucket: T0 + BUCKET, reports: cap, networks: 1 },
        ]);
      });

      it('counts distinct networks', async () => {
        await storage.addReports([...fromNetwork('x', 2), ...fromNetwork('y', 1), ...fromNetwork('z', 5)]);
        expect(await storage.counts(0)).toEqual([
          { service: 'whatsapp', bucket: T0, reports: 2 + 1 + cap, networks: 3 },
        ]);
      });

      it('holds the cap when batches of one network are stored concurrently', async () => {
        await Promise.all(
          fromNetwork('c', 12).map((r, i) => storage.addReports([{ ...r, at: T0 + MIN + i }])),
        );
        expect(await storage.counts(0)).toEqual([
          { service: 'whatsapp', bucket: T0, reports: cap, networks: 1 },
        ]);
      });

      it('forgets the tallies of ended buckets, keeping the current and the one before', async () => {
        await storage.addReports(fromNetwork('d', cap));
        await storage.addReports(fromNetwork('e', cap, { at: T0 + BUCKET + MIN }));
        await storage.addReports(fromNetwork('f', cap, { at: T0 + 2 * BUCKET + MIN }));
        const pruned = await storage.prune(T0 + 2 * BUCKET + 2 * MIN);
        expect(pruned.networks).toBe(1);
        // The current bucket's tally is still there: the network stays capped.
        await storage.addReports([rep('f-more', { netHash: 'net-f', at: T0 + 2 * BUCKET + 3 * MIN })]);
        expect((await storage.counts(T0 + 2 * BUCKET))[0]).toMatchObject({ reports: cap, networks: 1 });
      });
    });

    describe('prune', () => {
      it('deletes raw reports past RAW_RETENTION_MS and keeps their aggregates', async () => {
        const now = T0 + 3 * 24 * 60 * MIN;
        const old = now - RAW_RETENTION_MS - MIN;
        const young = now - RAW_RETENTION_MS + MIN;
        await storage.addReports([rep(1, { at: old }), rep(2, { at: old }), rep(3, { at: young })]);
        expect((await storage.prune(now)).reports).toBe(2);
        expect((await storage.prune(now)).reports).toBe(0);
        // Aggregates outlive the raw reports.
        expect(await total(storage)).toBe(3);
        // Two minutes on, the young one is past retention too.
        expect(await storage.prune(now + 2 * MIN)).toMatchObject({ reports: 1, buckets: 0, breakdown: 0 });
      });

      it('deletes aggregates past AGGREGATE_RETENTION_MS and keeps newer ones', async () => {
        clock.t = T0 + 40 * 24 * 60 * MIN;
        const now = clock.now();
        const old = now - AGGREGATE_RETENTION_MS - 60 * MIN;
        const kept = now - AGGREGATE_RETENTION_MS + 60 * MIN;
        await storage.addReports([
          rep(1, { at: old, country: 'FR' }),
          rep(2, { at: kept, country: 'DE' }),
          rep(3, { at: now - MIN }),
        ]);
        const pruned = await storage.prune(now);
        expect(pruned.reports).toBe(2);
        expect(pruned.buckets).toBeGreaterThan(0);
        expect(pruned.breakdown).toBeGreaterThan(0);
        expect(sortCounts(await storage.counts(0)).map((c) => c.reports)).toEqual([1, 1]);
        expect((await storage.counts(0)).some((c) => c.bucket <= old)).toBe(false);
        const countries = (await storage.breakdown(0)).filter((b) => b.kind === 'country').map((b) => b.key);
        expect(countries.sort()).toEqual(['DE', 'IT']);
        expect(await storage.prune(now)).toEqual({
          reports: 0,
          buckets: 0,
          breakdown: 0,
          networks: 0,
          observations: 0,
          observeMinutes: 0,
        });
      });

      it('leaves the dedupe window intact: recent reports are never pruned', async () => {
        await storage.addReports([rep(1, { at: T0 })]);
        await storage.prune(T0 + DEDUPE_WINDOW_MS - 1);
        expect(await storage.addReports([rep(1, { at: T0 + DEDUPE_WINDOW_MS - 1 })])).toEqual([DUPLICATE]);
      });
    });

    describe('close and reopen', () => {
      it('keeps reports, aggregates, the dedupe window, clientKey and countingSince', async () => {
        expect(storage.countingSince).toBe(T0);
        expect(storage.clientKey.length).toBeGreaterThanOrEqual(16);
        await storage.addReports([rep(1), rep(2, { country: null, problem: 'login' })]);
        const counts = sortCounts(await storage.counts(0));
        const breakdown = sortBreakdown(await storage.breakdown(0));
        const key = Buffer.from(storage.clientKey);
        await storage.close();
        clock.t += 5 * MIN;
        const again = await opened.reopen();
        expect(again.countingSince).toBe(T0);
        expect(Buffer.from(again.clientKey).equals(key)).toBe(true);
        expect(sortCounts(await again.counts(0))).toEqual(counts);
        expect(sortBreakdown(await again.breakdown(0))).toEqual(breakdown);
        expect(await again.addReports([rep(1, { at: T0 + 6 * MIN }), rep(3, { at: T0 + 6 * MIN })])).toEqual([
          DUPLICATE,
          COUNTED,
        ]);
        await again.close();
      });

      it('makes a distinct clientKey and its own countingSince for a new store', async () => {
        clock.t = T0 + 7 * MIN;
        const other = await open({ now: clock.now });
        try {
          expect(other.storage.countingSince).toBe(T0 + 7 * MIN);
          expect(Buffer.from(other.storage.clientKey).equals(Buffer.from(storage.clientKey))).toBe(false);
        } finally {
          await other.cleanup();
        }
      });

      it('rejects a batch after close and stores nothing of it', async () => {
        await storage.addReports([rep(1)]);
        await storage.close();
        await expect(storage.addReports([rep(2)])).rejects.toThrow();
        const again = await opened.reopen();
        expect(await total(again)).toBe(1);
        expect(await again.addReports([rep(2)])).toEqual([COUNTED]);
        await again.close();
      });

      it('rejects a batch with an unstorable report as a whole: nothing of it is kept', async () => {
        await storage.addReports([rep(1)]);
        const broken = { ...rep(3), problem: null } as unknown as StoredReport;
        await expect(storage.addReports([rep(2), rep(1, { at: T0 + 40 * MIN }), broken])).rejects.toThrow();
        expect(await total(storage)).toBe(1);
        expect(await storage.breakdown(0)).toEqual([
          { service: 'whatsapp', kind: 'country', key: 'IT', reports: 1 },
          { service: 'whatsapp', kind: 'problem', key: 'messages', reports: 1 },
        ]);
        // Client 2's report was rolled back, so it counts now; the store still works.
        expect(await storage.addReports([rep(2)])).toEqual([COUNTED]);
      });

      it('closes idempotently, also when called concurrently', async () => {
        await Promise.all([storage.close(), storage.close()]);
        await expect(storage.close()).resolves.toBeUndefined();
      });
    });

    describeObservationStorage(() => storage);
  });
}
