import { type CrowdCache, crowdSignals } from '../core/crowd';
import type { ServiceId } from '../core/services';
import { feedDocumentUrl } from '../core/settings-edit';
import type { Thresholds } from '../core/thresholds';
import { FEED_MAX_BYTES, readFeed } from '../shared/feed';
import { failureProblem, httpRequest } from './http';
import type { SignalSource, SourceEnv } from './source';

export interface CrowdInput {
  /** The feed's base URL (or a static .json feed); empty: no crowd signal. */
  readonly feedUrl: string;
  readonly watched: readonly ServiceId[];
  readonly cache: CrowdCache | null;
  readonly thresholds: Thresholds;
  readonly canRead: (url: string) => boolean;
  readonly now: number;
}

/**
 * The shared crowd-report feed: read at every check (a conditional request, so an unchanged feed
 * costs a 304), size-limited, validated, unknown fields ignored. A malformed, oversized, slow or
 * hostile feed makes the crowd signal unknown with a reason: never a crash, never HTML rendered.
 */
export const crowdSource = {
  id: 'crowd',
  inputOf: (ctx) => ({
    feedUrl: ctx.settings.feedUrl,
    watched: ctx.settings.watched,
    cache: ctx.record.crowdCache,
    thresholds: ctx.thresholds,
    canRead: ctx.canRead,
    now: ctx.now,
  }),
  async observe(env, input) {
    if (!input.feedUrl) return { signals: {}, cache: null };
    const cache = await readCrowdFeed(env, input);
    return { signals: crowdSignals(cache, input.watched), cache };
  },
} as const satisfies SignalSource<'crowd', CrowdInput>;

async function readCrowdFeed(env: SourceEnv, input: CrowdInput): Promise<CrowdCache> {
  const { now } = input;
  let url: string;
  try {
    url = feedDocumentUrl(input.feedUrl);
  } catch {
    return { url: input.feedUrl, etag: null, fetchedAt: now, feed: null, problem: 'not a valid feed URL' };
  }
  const previous = input.cache?.url === url && input.cache.feed ? input.cache : null;
  const fail = (problem: string): CrowdCache => ({ url, etag: null, fetchedAt: now, feed: null, problem });
  const outcome = await httpRequest(env, {
    url,
    headers: { accept: 'application/json' },
    // Our own If-None-Match only with host permission for the feed: otherwise it is a CORS request,
    // and that header would add a preflight a static feed host need not answer. Without it,
    // `cache: 'no-cache'` has the browser revalidate its cached copy (a 304 on the wire all the same).
    cache: 'no-cache',
    ...(previous && input.canRead(url) ? { validators: { etag: previous.etag } } : {}),
    timeoutMs: input.thresholds.timeoutMs,
    maxBytes: FEED_MAX_BYTES,
  });
  switch (outcome.kind) {
    case 'ok': {
      const body = outcome.body ?? '';
      let raw: unknown;
      try {
        raw = JSON.parse(body);
      } catch {
        return fail(body.trimStart().startsWith('<') ? 'HTML page instead of JSON' : 'not JSON');
      }
      const read = readFeed(raw);
      if ('error' in read) return fail(read.error.slice(0, 120));
      return { url, etag: outcome.validators.etag, fetchedAt: now, feed: read.feed, problem: null };
    }
    case 'not-modified':
      return previous ? { ...previous, fetchedAt: now, problem: null } : fail('HTTP 304');
    default:
      return fail(failureProblem(outcome));
  }
}
