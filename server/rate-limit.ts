// In-memory token buckets with a bounded number of keys: a flood of distinct addresses or client ids
// evicts the least recently seen buckets instead of growing memory without bound.

export interface RateLimitOptions {
  /** Sustained rate, per minute; also the burst size. 0 turns the limit off. */
  readonly perMinute: number;
  /** Most keys tracked at once (least recently used evicted first). */
  readonly maxKeys: number;
}

export type Take = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

/** A rate limit on some key: in memory (one process, below) or shared by instances (shared-rate-limit.ts). */
export interface RateLimit {
  /** Takes one token for `key` at `now` (ms); a shared limit answers asynchronously. */
  take(key: string, now: number): Take | Promise<Take>;
  /** Keys tracked in this process (a shared limit keeps them in the database: 0). */
  readonly size: number;
}

export const OK: Take = Object.freeze({ ok: true });

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter implements RateLimit {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(private readonly options: RateLimitOptions) {
    this.perMs = options.perMinute / 60_000;
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Takes one token for `key` at time `now` (ms), or says how many seconds until one is there. */
  take(key: string, now: number): Take {
    const capacity = this.options.perMinute;
    if (capacity <= 0) return OK;
    let b = this.buckets.get(key);
    if (b) {
      this.buckets.delete(key); // re-inserted below: Map order is the LRU order
      b.tokens = Math.min(capacity, b.tokens + Math.max(0, now - b.at) * this.perMs);
      b.at = now;
    } else {
      b = { tokens: capacity, at: now };
      if (this.buckets.size >= this.options.maxKeys) {
        const oldest = this.buckets.keys().next();
        if (!oldest.done) this.buckets.delete(oldest.value);
      }
    }
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return OK;
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / this.perMs / 1000)) };
  }
}
