import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Batcher, type BatcherOptions } from '../batcher';

interface Commit {
  readonly items: number[];
  /** Fake time the commit started. */
  readonly at: number;
}

/**
 * A batcher of numbers whose commit answers `n * 10` per item, records every batch, can hold the
 * first commit until `release()` and fails the batches `fails` picks.
 */
function harness(
  options: BatcherOptions,
  setup: { holdFirst?: boolean; fails?: (items: number[]) => boolean } = {},
) {
  const commits: Commit[] = [];
  const reported: { size: number; failed: boolean }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let release = (): void => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const batcher = new Batcher<number, number>(
    async (batch) => {
      const items = [...batch];
      commits.push({ items, at: Date.now() });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        if (setup.holdFirst && commits.length === 1) await held;
        else await Promise.resolve();
        if (setup.fails?.(items)) throw new Error(`commit of ${items.join(',')} failed`);
        return items.map((n) => n * 10);
      } finally {
        inFlight--;
      }
    },
    options,
    (size, _ms, error) => reported.push({ size, failed: error !== undefined }),
  );
  const submitAll = (items: readonly number[]): Promise<number>[] => items.map((n) => batcher.submit(n));
  return {
    batcher,
    commits,
    reported,
    release: () => release(),
    submitAll,
    sizes: () => commits.map((c) => c.items.length),
    maxInFlight: () => maxInFlight,
  };
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
/** Lets promises settle without moving the fake clock. */
const settle = async (): Promise<void> => {
  await vi.advanceTimersByTimeAsync(0);
};

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Batcher (group commit)', () => {
  it('commits at once when maxItems are waiting', async () => {
    const h = harness({ maxItems: 4, maxDelayMs: 1000 });
    const first = h.submitAll([1, 2, 3]);
    await settle();
    expect(h.commits).toEqual([]);
    const last = h.batcher.submit(4);
    await settle();
    expect(h.commits).toEqual([{ items: [1, 2, 3, 4], at: 0 }]);
    expect(await Promise.all([...first, last])).toEqual([10, 20, 30, 40]);
    expect(h.batcher.waiting).toBe(0);
  });

  it('commits maxDelayMs after the first waiting item, with what came meanwhile', async () => {
    const h = harness({ maxItems: 100, maxDelayMs: 1000 });
    const results = [h.batcher.submit(1)];
    await vi.advanceTimersByTimeAsync(600);
    results.push(h.batcher.submit(2));
    await vi.advanceTimersByTimeAsync(399);
    expect(h.commits).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.commits).toEqual([{ items: [1, 2], at: 1000 }]);
    expect(await Promise.all(results)).toEqual([10, 20]);
    // A new first item starts a new wait.
    const next = h.batcher.submit(3);
    await vi.advanceTimersByTimeAsync(999);
    expect(h.commits).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.commits[1]).toEqual({ items: [3], at: 2000 });
    expect(await next).toBe(30);
  });

  // [ms the first commit takes, when the item that arrived during it (at 100) is committed]
  it.each([
    [150, 250], // already waited 150 ms > maxDelayMs when the commit ends: at once
    [30, 200], // waited 30 ms: 100 ms after it arrived, not 100 ms after the commit ended
  ])(
    'keeps the maxDelayMs promise for an item that arrives during a %i ms commit',
    async (commitMs, expectedAt) => {
      const h = harness({ maxItems: 100, maxDelayMs: 100 }, { holdFirst: true });
      const first = h.batcher.submit(1);
      await vi.advanceTimersByTimeAsync(100);
      expect(h.commits).toEqual([{ items: [1], at: 100 }]);
      const second = h.batcher.submit(2);
      await vi.advanceTimersByTimeAsync(commitMs);
      h.release();
      const wait = expectedAt - 100 - commitMs;
      if (wait > 0) {
        await vi.advanceTimersByTimeAsync(wait - 1);
        expect(h.commits).toHaveLength(1);
      }
      await vi.advanceTimersByTimeAsync(Math.min(wait, 1));
      expect(h.commits[1]).toEqual({ items: [2], at: expectedAt });
      expect(await Promise.all([first, second])).toEqual([10, 20]);
    },
  );

  // [maxItems, maxBatch, backlog piled up behind the first commit, expected batch sizes]
  it.each([
    [2, 5, 12, [2, 5, 5, 2]],
    [2, undefined, 40, [2, 16, 16, 8]], // default maxBatch: 8 × maxItems
    [4, 4, 6, [4, 4, 2]], // the last 2 (< maxItems) wait for the timer
    [3, 100, 7, [3, 7]],
  ] as const)(
    'maxItems %i, maxBatch %s: a backlog of %i is committed as %j, one commit at a time',
    async (maxItems, maxBatch, backlog, sizes) => {
      const h = harness({ maxItems, maxDelayMs: 50, maxBatch }, { holdFirst: true });
      const results = h.submitAll(range(0, maxItems + backlog));
      await settle();
      expect(h.sizes()).toEqual([maxItems]);
      h.release();
      await vi.advanceTimersByTimeAsync(50);
      expect(h.sizes()).toEqual(sizes);
      expect(h.commits.flatMap((c) => c.items)).toEqual(range(0, maxItems + backlog));
      expect(h.maxInFlight()).toBe(1);
      // Every caller gets its own item's result.
      expect(await Promise.all(results)).toEqual(range(0, maxItems + backlog).map((n) => n * 10));
    },
  );

  it('rejects exactly the callers of a failed commit; later batches still commit', async () => {
    const h = harness({ maxItems: 3, maxDelayMs: 10, maxBatch: 3 }, { fails: (items) => items.includes(4) });
    const settled = await Promise.allSettled(h.submitAll(range(0, 9)));
    expect(h.commits.map((c) => c.items)).toEqual([range(0, 3), range(3, 6), range(6, 9)]);
    expect(settled.map((s) => s.status)).toEqual([
      ...Array<string>(3).fill('fulfilled'),
      ...Array<string>(3).fill('rejected'),
      ...Array<string>(3).fill('fulfilled'),
    ]);
    const failure = settled[3];
    expect(failure?.status === 'rejected' && String(failure.reason)).toContain('commit of 3,4,5 failed');
    expect(h.reported).toEqual([
      { size: 3, failed: false },
      { size: 3, failed: true },
      { size: 3, failed: false },
    ]);
    await expect(Promise.all(h.submitAll([9, 10, 11]))).resolves.toEqual([90, 100, 110]);
  });

  it('rejects a batch whose commit answers a different number of results', async () => {
    const batcher = new Batcher<number, number>(async (items) => items.slice(1), {
      maxItems: 2,
      maxDelayMs: 10,
    });
    const settled = await Promise.allSettled([batcher.submit(1), batcher.submit(2)]);
    for (const s of settled) {
      expect(s.status).toBe('rejected');
      expect(s.status === 'rejected' && String(s.reason)).toContain('different number of results');
    }
  });

  describe('drain', () => {
    it('commits what is waiting at once, without waiting for the timer', async () => {
      const h = harness({ maxItems: 100, maxDelayMs: 10_000 });
      const results = h.submitAll([1, 2, 3]);
      await h.batcher.drain();
      expect(h.commits).toEqual([{ items: [1, 2, 3], at: 0 }]);
      expect(await Promise.all(results)).toEqual([10, 20, 30]);
    });

    it('also commits items submitted while it drains, then refuses new ones', async () => {
      const h = harness({ maxItems: 100, maxDelayMs: 10_000, maxBatch: 2 }, { holdFirst: true });
      const early = h.submitAll([1, 2, 3]);
      let drained = false;
      const draining = h.batcher.drain().then(() => {
        drained = true;
      });
      await settle();
      expect(h.sizes()).toEqual([2]);
      const late = h.submitAll([4, 5]);
      await settle();
      expect(drained).toBe(false);
      h.release();
      await draining;
      expect(h.commits.flatMap((c) => c.items)).toEqual([1, 2, 3, 4, 5]);
      expect(await Promise.all([...early, ...late])).toEqual([10, 20, 30, 40, 50]);
      expect(vi.getTimerCount()).toBe(0);
      await expect(h.batcher.submit(6)).rejects.toThrow('batcher is closed');
      expect(h.commits).toHaveLength(3);
    });

    it('resolves at once with nothing waiting, and again when called twice', async () => {
      const h = harness({ maxItems: 10, maxDelayMs: 10 });
      await h.batcher.drain();
      await h.batcher.drain();
      expect(h.commits).toEqual([]);
      await expect(h.batcher.submit(1)).rejects.toThrow('batcher is closed');
    });

    it('waits for a commit in flight and still rejects the callers of a failed one', async () => {
      const h = harness(
        { maxItems: 2, maxDelayMs: 10 },
        { holdFirst: true, fails: (items) => items.includes(1) },
      );
      const failed = Promise.allSettled(h.submitAll([1, 2]));
      const queued = h.submitAll([3]);
      await settle();
      const draining = h.batcher.drain();
      h.release();
      await draining;
      expect((await failed).map((s) => s.status)).toEqual(['rejected', 'rejected']);
      expect(await Promise.all(queued)).toEqual([30]);
    });
  });
});
