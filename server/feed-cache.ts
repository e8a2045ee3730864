// GET /v1/feed is served from a pre-serialized document, rebuilt at most every `refreshMs`: a flood of
// readers costs one buffer write each, not a query. Strong ETags come from the content hash, one per
// encoding (identity and gzip are different bytes). The hash leaves out generatedAt: instances on one
// database that read the same data serve the same ETag (a CDN revalidating against any of them gets a
// 304), though their generatedAt, the time each first built that content, may differ.

import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { ObserveHints } from '../src/shared/feed';
import { BUCKET_MS, bucketStart, buildFeed } from './core/baseline';
import { minuteStart, nextSample } from './core/observe-sample';
import {
  AGGREGATE_RETENTION_MS,
  type FeedStorage,
  OBSERVATION_RETENTION_MS,
  OBSERVATION_WINDOW_MS,
} from './storage/types';

export interface CachedFeed {
  readonly body: Buffer;
  readonly gzip: Buffer;
  /** Strong ETag of the content (quoted); the gzip variant is `etagGzip`. */
  readonly etag: string;
  readonly etagGzip: string;
  /** The bare content hash (without generatedAt) both ETags are made from: equal when a rebuild found nothing new. */
  readonly hash: string;
  readonly builtAt: number;
}

const digest = (data: string | Buffer): string =>
  createHash('sha256').update(data).digest('base64url').slice(0, 27);

/** Problems and countries cover the current bucket and the three before it: the last hour. */
export const BREAKDOWN_BUCKETS = 4;

/** How the server asks opted-in browsers to send observations. */
export interface ObserveOptions {
  /** Observations per minute wanted across all instances: the sample is set to keep near it. */
  readonly target: number;
  /** Browsers wait at random up to this long before sending a change. */
  readonly spreadSeconds: number;
}

/**
 * The sampling hints: the next sample from the store's log of the last minutes (observe-sample.ts),
 * recorded in the store as this minute's, so every instance reads the same history and agrees.
 */
async function observeHints(
  storage: FeedStorage,
  now: number,
  options: ObserveOptions,
  onError: (error: unknown) => void,
): Promise<ObserveHints> {
  const minutes = await storage.observeMinutes(minuteStart(now - OBSERVATION_RETENTION_MS));
  const sample = nextSample({ now, minutes, target: options.target, countingSince: storage.countingSince });
  // A failed record only leaves this minute's sample out of the shared history (the next rebuild
  // writes it again); it must not cost the whole document, which was read without it.
  await storage.publishSample(minuteStart(now), sample).catch(onError);
  return { sample, spreadSeconds: options.spreadSeconds };
}

export async function renderFeed(
  storage: FeedStorage,
  now: number,
  observe: ObserveOptions | null,
  onError: (error: unknown) => void,
): Promise<CachedFeed> {
  const [counts, breakdown, probes, hints] = await Promise.all([
    storage.counts(bucketStart(now - AGGREGATE_RETENTION_MS)),
    storage.breakdown(bucketStart(now) - (BREAKDOWN_BUCKETS - 1) * BUCKET_MS),
    storage.probeCounts(now - OBSERVATION_WINDOW_MS),
    observe ? observeHints(storage, now, observe, onError) : undefined,
  ]);
  const doc = buildFeed({
    now,
    counts,
    breakdown,
    since: storage.countingSince,
    probes,
    ...(hints ? { observe: hints } : {}),
  });
  const body = Buffer.from(JSON.stringify(doc));
  const hash = digest(JSON.stringify({ ...doc, generatedAt: null }));
  return {
    body,
    gzip: gzipSync(body),
    etag: `"${hash}"`,
    etagGzip: `"${hash}-gz"`,
    hash,
    builtAt: now,
  };
}

export class FeedCache {
  private current: CachedFeed | null = null;
  private building: Promise<CachedFeed> | null = null;

  constructor(
    private readonly storage: FeedStorage,
    private readonly refreshMs: number,
    private readonly now: () => number,
    private readonly onError: (error: unknown) => void,
    private readonly observe: ObserveOptions | null = null,
  ) {}

  /** The cached document while no rebuild is due, else null (for readers that must not wait). */
  fresh(): CachedFeed | null {
    const now = this.now();
    const cur = this.current;
    return cur && now - cur.builtAt < this.refreshMs && now >= cur.builtAt ? cur : null;
  }

  /** The cached document, rebuilt first when older than refreshMs (one rebuild at a time). */
  async get(): Promise<CachedFeed> {
    const cur = this.fresh();
    if (cur) return cur;
    const now = this.now();
    if (!this.building) {
      this.building = renderFeed(this.storage, now, this.observe, this.onError)
        .then((feed) => {
          // Nothing new since the last build: keep its bytes (and generatedAt), so its ETag stays valid
          // and readers (and a CDN) get 304s instead of the same data under a new tag every few seconds.
          const kept = this.current && this.current.hash === feed.hash ? this.current : null;
          this.current = kept ? { ...kept, builtAt: feed.builtAt } : feed;
          return this.current;
        })
        .catch((error: unknown) => {
          // A failed rebuild keeps serving the last good document, if there is one, and the next try
          // waits refreshMs (a database that is away costs one attempt per period, not one per reader).
          this.onError(error);
          if (this.current) {
            this.current = { ...this.current, builtAt: now };
            return this.current;
          }
          throw error;
        })
        .finally(() => {
          this.building = null;
        });
    }
    return this.building;
  }
}

/** True when an If-None-Match header matches `hash` (any encoding variant, weak or strong, or `*`). */
export function matchesEtag(header: string | undefined, hash: string): boolean {
  if (!header) return false;
  for (const raw of header.split(',')) {
    const tag = raw.trim().replace(/^W\//, '');
    if (tag === '*' || tag === `"${hash}"` || tag === `"${hash}-gz"`) return true;
  }
  return false;
}
