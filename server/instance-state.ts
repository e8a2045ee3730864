// The state that decides about a report or an observation besides the store: the address salt and the
// rate limits (reports and observations each have buckets of their own, at the same rates). One process
// on SQLite keeps them in memory; instances sharing a PostgreSQL database keep them there, so they hash
// one address alike and a client meets one limit, whichever instance it reaches.

import { type AddressHasher, DailySalt, hashClient } from './privacy';
import { type RateLimit, RateLimiter } from './rate-limit';
import { SharedRateLimiter, type SharedRateLimitOptions } from './shared-rate-limit';
import { SharedDailySalt } from './shared-salt';
import type { FeedStorage } from './storage/types';

export interface InstanceStateOptions {
  readonly ipPerMinute: number;
  readonly netPerMinute: number;
  readonly clientPerMinute: number;
  /** In-memory limiters: most keys tracked at once. */
  readonly rateLimitKeys: number;
  readonly now: () => number;
}

/** Per address (IPv4 /32, IPv6 /64), per network (IPv4 /24, IPv6 /48) and per client id. */
export interface Limiters {
  readonly ipLimiter: RateLimit;
  readonly netLimiter: RateLimit;
  readonly clientLimiter: RateLimit;
}

export interface InstanceState extends Limiters {
  readonly salt: AddressHasher;
  /** The observations' own buckets. */
  readonly observe: Limiters;
  /** Shared state only: whether the database answers (checked at most once a second). */
  readonly healthy?: () => Promise<boolean>;
  /** Answers the checks in flight and stops the timers. */
  close(): Promise<void>;
}

const HEALTH_CACHE_MS = 1000;
const TOKEN_PRUNE_MS = 60_000;

export function makeInstanceState(storage: FeedStorage, options: InstanceStateOptions): InstanceState {
  const shared = storage.shared;
  if (!shared) {
    const limiters = (): Limiters => ({
      ipLimiter: new RateLimiter({ perMinute: options.ipPerMinute, maxKeys: options.rateLimitKeys }),
      netLimiter: new RateLimiter({ perMinute: options.netPerMinute, maxKeys: options.rateLimitKeys }),
      clientLimiter: new RateLimiter({ perMinute: options.clientPerMinute, maxKeys: options.rateLimitKeys }),
    });
    return {
      salt: new DailySalt(),
      ...limiters(),
      observe: limiters(),
      close: async () => {},
    };
  }
  const salt = new SharedDailySalt(shared);
  // Stored keys are keyed hashes: addresses and networks under the day's salt (their buckets start afresh at UTC
  // midnight), client ids under the store's client key, as in the reports table.
  const made: SharedRateLimiter[] = [];
  const limiters = (prefix: string): Limiters => {
    const limiter = (name: string, perMinute: number, storedKey: SharedRateLimitOptions['storedKey']) => {
      const l = new SharedRateLimiter(shared, `${prefix}${name}`, { perMinute, storedKey });
      made.push(l);
      return l;
    };
    const byAddress = (key: string, now: number) => salt.hash(key, now);
    return {
      ipLimiter: limiter('ip', options.ipPerMinute, byAddress),
      netLimiter: limiter('net', options.netPerMinute, byAddress),
      clientLimiter: limiter('client', options.clientPerMinute, (key) => hashClient(storage.clientKey, key)),
    };
  };
  const reports = limiters('');
  const observe = limiters('observe-');
  // Full buckets are the same as none: dropping them keeps the table at the keys of the last minute.
  const pruneTimer = setInterval(() => {
    shared.pruneTokens(options.now()).catch(() => undefined);
  }, TOKEN_PRUNE_MS).unref();

  let checked = { at: Number.NEGATIVE_INFINITY, ok: false };
  let checking: Promise<boolean> | null = null;
  const healthy = (): Promise<boolean> => {
    if (Date.now() - checked.at < HEALTH_CACHE_MS) return Promise.resolve(checked.ok);
    checking ??= shared.ping().then(
      () => true,
      () => false,
    );
    return checking.then((ok) => {
      checked = { at: Date.now(), ok };
      checking = null;
      return ok;
    });
  };

  return {
    salt,
    ...reports,
    observe,
    healthy,
    async close() {
      clearInterval(pruneTimer);
      await Promise.all(made.map((l) => l.close()));
    },
  };
}
