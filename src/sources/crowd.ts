import type { ServiceId } from '../core/catalog';
import type { CrowdSignal } from '../core/fusion';
import { feedDocumentUrl } from '../core/settings';
import { FEED_MAX_BYTES, type FeedDocument, readFeed } from '../shared/feed';
import { insecureRedirect, readLimitedText } from './http-attempt';
import type { SignalSource, SourceContext } from './source';

/**
 * The shared crowd-report feed: read at every check (a conditional request, so an unchanged feed
 * costs a 304), size-limited, validated, unknown fields ignored. A malformed, oversized, slow or
 * hostile feed makes the crowd signal unknown with a reason: never a crash, never HTML rendered.
 */
export interface CrowdCache {
  readonly url: string;
  readonly etag: string | null;
  readonly fetchedAt: number;
  readonly feed: FeedDocument | null;
  /** Why the last read failed, or null. */
  readonly problem: string | null;
}

export interface CrowdObservation {
  readonly signals: Readonly<Partial<Record<ServiceId, CrowdSignal>>>;
  readonly cache: CrowdCache | null;
}

export const crowdSource = {
  id: 'crowd',
  async observe(ctx) {
    if (!ctx.feedUrl) return { signals: {}, cache: null };
    const cache = await readCrowdFeed(ctx, ctx.feedUrl, ctx.crowdCache);
    return { signals: crowdSignals(cache, ctx.watched), cache };
  },
} as const satisfies SignalSource<'crowd'>;

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

export function crowdSignals(
  cache: CrowdCache,
  watched: readonly ServiceId[],
): Partial<Record<ServiceId, CrowdSignal>> {
  const out: Partial<Record<ServiceId, CrowdSignal>> = {};
  for (const id of watched) {
    if (!cache.feed) {
      out[id] = { level: 'unknown', recent: 0, baseline: 0, problem: cache.problem };
      continue;
    }
    const s = cache.feed.services[id];
    // A service absent from the feed has no reports: normal.
    out[id] = s
      ? { level: s.level, recent: s.recent, baseline: s.baseline, problem: null }
      : { level: 'normal', recent: 0, baseline: 0, problem: null };
  }
  return out;
}

async function readCrowdFeed(
  ctx: SourceContext,
  feedUrl: string,
  cached: CrowdCache | null,
): Promise<CrowdCache> {
  const now = ctx.now();
  let url: string;
  try {
    url = feedDocumentUrl(feedUrl);
  } catch {
    return { url: feedUrl, etag: null, fetchedAt: now, feed: null, problem: 'not a valid feed URL' };
  }
  const previous = cached?.url === url ? cached : null;
  const fail = (problem: string): CrowdCache => ({ url, etag: null, fetchedAt: now, feed: null, problem });
  const controller = new AbortController();
  const cancel = ctx.setTimer(() => controller.abort(), ctx.thresholds.timeoutMs);
  try {
    const response = await ctx.fetch(url, {
      credentials: 'omit',
      cache: 'no-cache',
      // Our own If-None-Match only with host permission for the feed: otherwise it is a CORS request,
      // and that header would add a preflight a static feed host need not answer. Without it,
      // `cache: 'no-cache'` has the browser revalidate its cached copy (a 304 on the wire all the same).
      headers: {
        accept: 'application/json',
        ...(previous?.etag && previous.feed && ctx.canRead(url) ? { 'if-none-match': previous.etag } : {}),
      },
      signal: controller.signal,
    });
    // Sent over https, answered after a redirect to http: anyone on the way could have written it.
    if (insecureRedirect(url, response)) {
      await response.body?.cancel().catch(() => undefined);
      return fail('insecure redirect');
    }
    if (response.status === 304 && previous?.feed) return { ...previous, fetchedAt: now, problem: null };
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      return fail(`HTTP ${response.status}`);
    }
    const body = await readLimitedText(response, FEED_MAX_BYTES);
    let raw: unknown;
    try {
      raw = JSON.parse(body);
    } catch {
      return fail(body.trimStart().startsWith('<') ? 'HTML page instead of JSON' : 'not JSON');
    }
    const read = readFeed(raw);
    if ('error' in read) return fail(read.error.slice(0, 120));
    return { url, etag: response.headers.get('etag'), fetchedAt: now, feed: read.feed, problem: null };
  } catch (error) {
    if (controller.signal.aborted) return fail('timeout');
    return fail(error instanceof Error && /larger than/.test(error.message) ? 'too large' : 'unreachable');
  } finally {
    cancel();
  }
}
