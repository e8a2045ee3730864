// Rate limits shared by every instance on one database: the token buckets live in the store
// (SharedState.takeTokens), so a client that spreads its reports over instances behind a load balancer
// meets one limit, not one per instance. Checks are batched like reports: the checks that arrive
// while one round trip is under way go together in the next, one upsert for all of them.

import { Batcher } from './batcher';
import { OK, type RateLimit, type Take } from './rate-limit';
import type { SharedState } from './storage/types';

export interface SharedRateLimitOptions {
  /** Sustained rate, per minute; also the burst size. 0 turns the limit off. */
  readonly perMinute: number;
  /** The key as stored: a keyed hash, so the table never holds an address or a client id. */
  readonly storedKey: (key: string, now: number) => string | Promise<string>;
  /** A check waits at most this long for others to share its round trip. Default 1 ms. */
  readonly maxDelayMs?: number;
}

interface Check {
  readonly key: string;
  readonly now: number;
}

export class SharedRateLimiter implements RateLimit {
  private readonly batcher: Batcher<Check, Take>;
  /** Keys are kept in the database, not here. */
  readonly size = 0;

  constructor(
    shared: SharedState,
    name: string,
    private readonly options: SharedRateLimitOptions,
  ) {
    this.batcher = new Batcher<Check, Take>(
      async (checks) => {
        // One bucket row per key, asked for as many tokens as the key has checks; the first `granted`
        // checks (in arrival order) pass.
        const counts = new Map<string, number>();
        for (const c of checks) counts.set(c.key, (counts.get(c.key) ?? 0) + 1);
        const now = Math.max(...checks.map((c) => c.now));
        const requests = [...counts].map(([key, count]) => ({ key, count }));
        const grants = await shared.takeTokens(name, options.perMinute, requests, now);
        const left = new Map(requests.map((r, i) => [r.key, grants[i]?.granted ?? 0]));
        const retry = new Map(requests.map((r, i) => [r.key, grants[i]?.retryAfterMs ?? 1000]));
        return checks.map((c): Take => {
          const n = left.get(c.key) ?? 0;
          left.set(c.key, n - 1);
          if (n > 0) return OK;
          return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((retry.get(c.key) ?? 1000) / 1000)) };
        });
      },
      { maxItems: 256, maxDelayMs: options.maxDelayMs ?? 1 },
    );
  }

  take(key: string, now: number): Take | Promise<Take> {
    if (this.options.perMinute <= 0) return OK;
    const stored = this.options.storedKey(key, now);
    if (typeof stored === 'string') return this.batcher.submit({ key: stored, now });
    return stored.then((k) => this.batcher.submit({ key: k, now }));
  }

  /** Answers the checks still waiting, then refuses new ones. */
  close(): Promise<void> {
    return this.batcher.drain();
  }
}
