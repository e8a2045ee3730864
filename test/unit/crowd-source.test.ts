// The crowd source against good, unchanged and hostile feeds: every bad feed becomes an unknown crowd
// signal with a short reason, never an exception; a good one is read with unknown fields ignored.
import { describe, expect, it } from 'vitest';
import type { ServiceId } from '../../src/core/catalog';
import type { CrowdSignal } from '../../src/core/fusion';
import { INITIAL_STATE } from '../../src/core/types';
import { FEED_MAX_BYTES } from '../../src/shared/feed';
import { type CrowdCache, readCrowdCache, crowdSource as source } from '../../src/sources/crowd';
import type { SourceContext } from '../../src/sources/source';
import { T } from './helpers';

const FEED_URL = 'https://feed.example.org';
const DOC_URL = 'https://feed.example.org/v1/feed';
const NOW = Date.UTC(2026, 10, 23, 10, 0);

function service(level = 'normal', recent = 3) {
  return {
    level,
    recent,
    baseline: 4,
    series: [{ t: '2026-11-23T09:45:00Z', reports: recent, baseline: 4 }],
    problems: { messages: recent },
    countries: { IT: recent },
  };
}

function feed(services: Record<string, unknown> = { whatsapp: service() }, extra: object = {}) {
  return { version: 1, generatedAt: '2026-11-23T10:00:00Z', bucketMinutes: 15, services, ...extra };
}

interface Call {
  url: string;
  init: RequestInit | undefined;
}

/** A context whose fetch runs `answer`; timers run for real only when `timeoutMs` is short. */
function context(
  answer: (init: RequestInit | undefined) => Response | Promise<Response>,
  crowdCache: CrowdCache | null = null,
  feedUrl = FEED_URL,
): SourceContext & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    fetch: async (input, init) => {
      calls.push({ url: String(input), init });
      return answer(init);
    },
    clock: () => 0,
    setTimer: (fn, ms) => {
      const id = setTimeout(fn, ms);
      return () => clearTimeout(id);
    },
    sleep: async () => undefined,
    thresholds: { ...T, timeoutMs: 100 },
    watched: ['whatsapp', 'telegram'],
    previous: INITIAL_STATE,
    onLine: true,
    canRead: () => false,
    now: () => NOW,
    officialCache: {},
    statusPages: {},
    feedUrl,
    crowdCache,
  };
}

/** The source, with its signals typed per service (an empty feed URL gives `{}`). */
const crowdSource = {
  async observe(ctx: SourceContext) {
    const obs = await source.observe(ctx);
    return { ...obs, signals: obs.signals as Partial<Record<ServiceId, CrowdSignal>> };
  },
};

const json = (body: unknown, init: ResponseInit = {}) =>
  new Response(JSON.stringify(body), {
    status: 200,
    headers: { 'content-type': 'application/json' },
    ...init,
  });

/** A response that never sends its body: only the abort ends it. */
function hanging(init: RequestInit | undefined): Promise<Response> {
  return new Promise((_resolve, reject) => {
    init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
  });
}

describe('crowd source', () => {
  it('reads a feed, ignoring unknown fields, and calls a service absent from it normal', async () => {
    const ctx = context(() =>
      json(
        feed({ whatsapp: { ...service('outage', 412), extra: 1 }, notAService: service() }, { future: true }),
        {
          headers: { etag: '"v1"' },
        },
      ),
    );
    const obs = await crowdSource.observe(ctx);
    expect(obs.signals.whatsapp).toEqual({ level: 'outage', recent: 412, baseline: 4, problem: null });
    expect(obs.signals.telegram).toEqual({ level: 'normal', recent: 0, baseline: 0, problem: null });
    expect(obs.cache?.etag).toBe('"v1"');
    expect(ctx.calls[0]?.url).toBe(DOC_URL);
    expect(ctx.calls[0]?.init?.credentials).toBe('omit');
  });

  it('asks conditionally with host permission, and keeps the cached feed on 304', async () => {
    const first = await crowdSource.observe(context(() => json(feed(), { headers: { etag: '"v1"' } })));
    const ctx = { ...context(() => new Response(null, { status: 304 }), first.cache), canRead: () => true };
    const obs = await crowdSource.observe(ctx);
    expect(new Headers(ctx.calls[0]?.init?.headers).get('if-none-match')).toBe('"v1"');
    expect(obs.signals.whatsapp?.level).toBe('normal');
    expect(obs.cache?.fetchedAt).toBe(NOW);
  });

  it('leaves revalidation to the browser cache without host permission (no preflight for a static feed)', async () => {
    const first = await crowdSource.observe(context(() => json(feed(), { headers: { etag: '"v1"' } })));
    const ctx = context(() => json(feed()), first.cache);
    await crowdSource.observe(ctx);
    expect(new Headers(ctx.calls[0]?.init?.headers).get('if-none-match')).toBeNull();
    expect(ctx.calls[0]?.init?.cache).toBe('no-cache');
  });

  it('gives no crowd signal at all without a feed URL, and makes no request', async () => {
    const ctx = context(() => json(feed()), null, '');
    expect(await crowdSource.observe(ctx)).toEqual({ signals: {}, cache: null });
    expect(ctx.calls).toHaveLength(0);
  });

  it.each<[string, (init: RequestInit | undefined) => Response | Promise<Response>, RegExp]>([
    ['a server error', () => new Response('oops', { status: 500 }), /^HTTP 500$/],
    ['a 304 with nothing cached', () => new Response(null, { status: 304 }), /^HTTP 304$/],
    [
      'an HTML page',
      () => new Response('<html><script>alert(1)</script></html>', { status: 200 }),
      /^HTML page instead of JSON$/,
    ],
    ['broken JSON', () => new Response('{"version": 1,', { status: 200 }), /^not JSON$/],
    ['another version', () => json(feed({}, { version: 2 })), /^unexpected feed at version/],
    ['services not an object', () => json(feed({}, { services: [] })), /^unexpected feed at services/],
    [
      'a bad timestamp',
      () => json(feed({}, { generatedAt: 'yesterday' })),
      /^unexpected feed at generatedAt/,
    ],
    ['JSON that is not an object', () => json(['whatsapp', 'outage']), /^unexpected feed/],
    [
      'a body over the size limit',
      () => new Response(`{"pad":"${'x'.repeat(FEED_MAX_BYTES)}"}`, { status: 200 }),
      /^too large$/,
    ],
    ['a feed that never answers', hanging, /^timeout$/],
    [
      'a connection error',
      () => {
        throw new TypeError('Failed to fetch');
      },
      /^unreachable$/,
    ],
  ])('makes the crowd signal unknown with a reason for %s', async (_name, answer, reason) => {
    const obs = await crowdSource.observe(context(answer));
    for (const id of ['whatsapp', 'telegram'] as const) {
      expect(obs.signals[id]?.level).toBe('unknown');
      expect(obs.signals[id]?.problem).toMatch(reason);
    }
    expect(obs.cache?.problem?.length).toBeLessThanOrEqual(120);
  });

  it('drops a malformed service and keeps the others', async () => {
    const obs = await crowdSource.observe(
      context(() =>
        json(feed({ whatsapp: { ...service(), level: 'panic' }, telegram: service('elevated', 30) })),
      ),
    );
    expect(obs.signals.whatsapp).toEqual({ level: 'normal', recent: 0, baseline: 0, problem: null });
    expect(obs.signals.telegram?.level).toBe('elevated');
  });

  it('rejects hostile values inside a service: negative counts, bad country codes, huge series', async () => {
    const hostile = [
      { ...service(), recent: -5 },
      { ...service(), countries: { 'IT<script>': 3 } },
      { ...service(), series: Array(500).fill({ t: '2026-11-23T09:45:00Z', reports: 1, baseline: 1 }) },
      { ...service(), baseline: 'a lot' },
    ];
    for (const whatsapp of hostile) {
      const obs = await crowdSource.observe(context(() => json(feed({ whatsapp }))));
      expect(obs.signals.whatsapp?.level).toBe('normal');
      expect(obs.signals.whatsapp?.recent).toBe(0);
    }
  });

  it('re-validates the cache read back from storage', () => {
    expect(readCrowdCache(null)).toBeNull();
    expect(readCrowdCache({ url: 1, fetchedAt: 0 })).toBeNull();
    const tampered = readCrowdCache({ url: DOC_URL, etag: '"x"', fetchedAt: NOW, feed: { version: 9 } });
    expect(tampered).toMatchObject({ feed: null, etag: null, problem: 'no feed yet' });
    const good = readCrowdCache({ url: DOC_URL, etag: '"x"', fetchedAt: NOW, feed: feed(), problem: null });
    expect(good?.feed?.services.whatsapp?.level).toBe('normal');
    expect(good?.etag).toBe('"x"');
  });
});
