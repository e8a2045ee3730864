import { type FeedDocument, readFeed } from '../shared/feed';
import type { CrowdSignal } from './fusion';
import type { CatalogId, ServiceId } from './services';

/** The crowd feed as last read: the document (validated) and its validator, or why it failed. */
export interface CrowdCache {
  readonly url: string;
  readonly etag: string | null;
  readonly fetchedAt: number;
  readonly feed: FeedDocument | null;
  /** Why the last read failed, or null. */
  readonly problem: string | null;
}

/** What the crowd source saw in one check: a signal per watched service, and the cache to keep. */
export interface CrowdObservation {
  readonly signals: Readonly<Partial<Record<ServiceId, CrowdSignal>>>;
  readonly cache: CrowdCache | null;
}

/** Reads the cache back from storage, validating the feed again: storage is not trusted either. */
export function readCrowdCache(stored: unknown): CrowdCache | null {
  if (typeof stored !== 'object' || stored === null) return null;
  const raw = stored as Record<string, unknown>;
  if (typeof raw.url !== 'string' || typeof raw.fetchedAt !== 'number') return null;
  const read = raw.feed === null || raw.feed === undefined ? null : readFeed(raw.feed);
  const feed = read && 'feed' in read ? read.feed : null;
  return {
    url: raw.url,
    etag: typeof raw.etag === 'string' && feed ? raw.etag : null,
    fetchedAt: raw.fetchedAt,
    feed,
    problem: typeof raw.problem === 'string' ? raw.problem.slice(0, 120) : feed ? null : 'no feed yet',
  };
}

/**
 * The feed's word on each watched service: a service absent from a readable feed is normal, and has
 * no probes (the crowd of browsers says nothing of it).
 */
export function crowdSignals(
  cache: CrowdCache,
  watched: readonly ServiceId[],
): Partial<Record<ServiceId, CrowdSignal>> {
  const out: Partial<Record<ServiceId, CrowdSignal>> = {};
  for (const id of watched) {
    if (!cache.feed) {
      out[id] = { level: 'unknown', recent: 0, baseline: 0, problem: cache.problem, probes: null };
      continue;
    }
    // The feed holds catalog ids only: a user's own app finds nothing there.
    const s = cache.feed.services[id as CatalogId];
    out[id] = s
      ? { level: s.level, recent: s.recent, baseline: s.baseline, problem: null, probes: s.probes ?? null }
      : { level: 'normal', recent: 0, baseline: 0, problem: null, probes: null };
  }
  return out;
}
