// The crowd source against good, unchanged and hostile feeds: every bad feed becomes an unknown crowd
// signal with a short reason, never an exception; a good one is read with unknown fields ignored.
import { describe, expect, it } from 'vitest';
import { type CrowdCache, readCrowdCache } from '../../src/core/crowd';
import type { CrowdSignal } from '../../src/core/fusion';
import type { ServiceId } from '../../src/core/services';
import { COUNT_MAX, FEED_MAX_BYTES, FEED_TOP_COUNTRIES, readFeed } from '../../src/shared/feed';
import { type CrowdInput, crowdSource as source } from '../../src/sources/crowd';
import type { SourceEnv } from '../../src/sources/source';
import { T } from './helpers';

const FEED_URL = 'https://feed.example.org';
const DOC_URL = 'https://feed.example.org/v1/feed';
const NOW = Date.UTC(2026, 10, 23, 10, 0);
/** The signal of a service a readable feed says nothing of: the usual level, no probes. */
const ABSENT: CrowdSignal = { level: 'normal', recent: 0, baseline: 0, problem: null, probes: null };

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

interface TestContext {
  readonly env: SourceEnv;
  input: CrowdInput;
  readonly calls: Call[];
}

/** The source's I/O and input: fetch runs `answer`; timers run for real, the timeout is short. */
function context(
  answer: (init: RequestInit | undefined) => Response | Promise<Response>,
  crowdCache: CrowdCache | null = null,
  feedUrl = FEED_URL,
): TestContext {
  const calls: Call[] = [];
  return {
    calls,
    env: {
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
    },
    input: {
      feedUrl,
      watched: ['whatsapp', 'telegram'],
      cache: crowdCache,
      thresholds: { ...T, timeoutMs: 100 },
      canRead: () => false,
      now: NOW,
    },
  };
}

/** The source, with its signals typed per service (an empty feed URL gives `{}`). */
const crowdSource = {
  async observe(ctx: TestContext) {
    const obs = await source.observe(ctx.env, ctx.input);
    return { ...obs, signals: obs.signals as Partial<Record<ServiceId, CrowdSignal>> };
  },
};

const json = (body: unknown, init: ResponseInit = {}) =>
  new Response(JSON.stringify(body), {
    status: 200,
    headers: { 'content-type': 'application/json' },
    ...init,
  });

/** A response as fetch gives it after following redirects to `finalUrl` (a built Response has no url). */
function redirected(response: Response, finalUrl: string): Response {
  Object.defineProperty(response, 'url', { value: finalUrl });
  Object.defineProperty(response, 'redirected', { value: true });
  return response;
}

/** The whatsapp entry of a feed as read (readFeed), or null when the service was dropped. */
function readService(whatsapp: unknown) {
  const read = readFeed(feed({ whatsapp }));
  if ('error' in read) throw new Error(read.error);
  return read.feed.services.whatsapp ?? null;
}

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
    expect(obs.signals.whatsapp).toEqual({ ...ABSENT, level: 'outage', recent: 412, baseline: 4 });
    expect(obs.signals.telegram).toEqual(ABSENT);
    expect(obs.cache?.etag).toBe('"v1"');
    expect(ctx.calls[0]?.url).toBe(DOC_URL);
    expect(ctx.calls[0]?.init?.credentials).toBe('omit');
  });

  it('asks conditionally with host permission, and keeps the cached feed on 304', async () => {
    const first = await crowdSource.observe(context(() => json(feed(), { headers: { etag: '"v1"' } })));
    const ctx = context(() => new Response(null, { status: 304 }), first.cache);
    ctx.input = { ...ctx.input, canRead: () => true };
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
      'a redirect from https to plain http',
      () => redirected(json(feed()), 'http://feed.example.org/v1/feed'),
      /^insecure redirect$/,
    ],
    [
      'a 304 after a redirect to plain http',
      () => redirected(new Response(null, { status: 304 }), 'http://cache.example.net/v1/feed'),
      /^insecure redirect$/,
    ],
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
    expect(obs.signals.whatsapp).toEqual(ABSENT);
    expect(obs.signals.telegram?.level).toBe('elevated');
  });

  it('carries what the crowd of browsers sees (probes) into the signal, and drops malformed probes alone', async () => {
    const probes = { down: 1, up: 120, countries: { IT: [1, 60] }, scope: 'none' };
    const obs = await crowdSource.observe(
      context(() =>
        json(
          feed({
            whatsapp: { ...service('outage', 50), probes },
            telegram: { ...service('elevated', 30), probes: { down: -1, up: 3, countries: {} } },
          }),
        ),
      ),
    );
    expect(obs.signals.whatsapp).toEqual({ ...ABSENT, level: 'outage', recent: 50, baseline: 4, probes });
    expect(obs.signals.telegram).toEqual({ ...ABSENT, level: 'elevated', recent: 30, baseline: 4 });
  });

  it('follows a redirect that stays on https', async () => {
    const obs = await crowdSource.observe(
      context(() =>
        redirected(json(feed({ whatsapp: service('outage', 50) })), 'https://cdn.example.net/feed'),
      ),
    );
    expect(obs.signals.whatsapp).toEqual({ ...ABSENT, level: 'outage', recent: 50, baseline: 4 });
  });

  it('takes a plain http feed on this machine as it is (no https to lose)', async () => {
    const obs = await crowdSource.observe(
      context(() => redirected(json(feed()), 'http://localhost:8787/v1/feed'), null, 'http://localhost:8787'),
    );
    expect(obs.signals.whatsapp?.problem).toBeNull();
  });

  it.each<[string, Record<string, unknown>]>([
    ['a negative count', { recent: -5 }],
    ['a count that is text', { baseline: 'a lot' }],
    [
      'a series longer than two days',
      { series: Array(500).fill({ t: '2026-11-23T09:45:00Z', reports: 1, baseline: 1 }) },
    ],
    ['a negative series point', { series: [{ t: '2026-11-23T09:45:00Z', reports: -1, baseline: 1 }] }],
    ['a negative count of a known problem', { problems: { messages: -1 } }],
    ['a known country with a count that is text', { countries: { IT: '3' } }],
    ['problems that are a list', { problems: ['messages'] }],
    ['countries that are not an object', { countries: 'IT' }],
  ])('drops a service with %s and keeps the rest of the feed', async (_name, hostile) => {
    const obs = await crowdSource.observe(
      context(() =>
        json(feed({ whatsapp: { ...service(), ...hostile }, telegram: service('elevated', 30) })),
      ),
    );
    expect(obs.signals.whatsapp).toEqual(ABSENT);
    expect(obs.signals.telegram?.level).toBe('elevated');
  });

  it.each<[string, number]>([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['a negative number', -0.5],
  ])('refuses %s as a count (not clamped): storage can hold what JSON cannot', (_name, bad) => {
    for (const hostile of [
      { recent: bad },
      { baseline: bad },
      { series: [{ t: '2026-11-23T09:45:00Z', reports: bad, baseline: 1 }] },
      { problems: { login: bad } },
      { countries: { FR: bad } },
    ]) {
      expect(readService({ ...service(), ...hostile })).toBeNull();
    }
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    [
      'keeps only the six known problems, dropping unknown ones',
      {
        problems: { messages: 5, hacked: 99, '<img src=x>': 7, MESSAGES: 3, login: 1, ['x'.repeat(5000)]: 4 },
      },
      { problems: { messages: 5, login: 1 } },
    ],
    [
      'drops a problem named after an object property',
      { problems: JSON.parse('{"__proto__": 5, "constructor": 6, "toString": 7, "calls": 2}') },
      { problems: { calls: 2 } },
    ],
    [
      'drops country codes that are not assigned ISO 3166-1 codes, one by one',
      { countries: { IT: 3, UK: 50, EU: 40, XX: 30, ZZ: 20, it: 9, ITA: 8, 'IT<script>': 7, '': 6 } },
      { countries: { IT: 3 } },
    ],
    [
      'keeps only the 10 largest countries',
      {
        countries: Object.fromEntries(
          ['GB', 'IT', 'FR', 'ID', 'IN', 'AE', 'SA', 'EG', 'DE', 'ES', 'BR', 'MX', 'NG', 'JP', 'US'].map(
            (code, i) => [code, i + 1],
          ),
        ),
      },
      {
        countries: { US: 15, JP: 14, NG: 13, MX: 12, BR: 11, ES: 10, DE: 9, EG: 8, SA: 7, AE: 6 },
      },
    ],
    [
      'clamps every count to the cap',
      {
        recent: 1e300,
        baseline: COUNT_MAX + 1,
        series: [{ t: '2026-11-23T09:45:00Z', reports: Number.MAX_VALUE, baseline: 2 ** 53 }],
        problems: { other: 1e12 },
        countries: { SA: 1e20 },
      },
      {
        recent: COUNT_MAX,
        baseline: COUNT_MAX,
        series: [{ t: '2026-11-23T09:45:00Z', reports: COUNT_MAX, baseline: COUNT_MAX }],
        problems: { other: COUNT_MAX },
        countries: { SA: COUNT_MAX },
      },
    ],
    [
      'keeps counts at the cap and below as they are',
      { recent: COUNT_MAX, baseline: 0, problems: { app: 2.5 } },
      { recent: COUNT_MAX, baseline: 0, problems: { app: 2.5 } },
    ],
  ])('reads a hostile service defensively: %s', (_name, hostile, expected) => {
    expect(readService({ ...service(), ...hostile })).toMatchObject(expected);
    // The breakdowns are exactly what is expected: nothing more survives.
    const read = readService({ ...service(), ...hostile });
    if ('problems' in expected) expect(read?.problems).toEqual(expected.problems);
    if ('countries' in expected) expect(read?.countries).toEqual(expected.countries);
  });

  it('keeps a service whose countries are all unknown, with no countries', () => {
    const read = readService({ ...service('outage', 9), countries: { XK: 5, UK: 4 }, problems: { hmm: 1 } });
    expect(read).toMatchObject({ level: 'outage', recent: 9, countries: {}, problems: {} });
    expect(Object.keys(read?.countries ?? {})).toHaveLength(0);
    expect(FEED_TOP_COUNTRIES).toBe(10);
  });

  it('keeps the largest countries from a flood of valid codes, without reading them all into the popup', async () => {
    const countries = Object.fromEntries(Array.from({ length: 249 }, (_, i) => [`${i}`, i]));
    Object.assign(countries, {
      GB: 1,
      IT: 2,
      FR: 3,
      ID: 4,
      IN: 5,
      AE: 6,
      SA: 7,
      EG: 8,
      DE: 9,
      ES: 10,
      BR: 11,
    });
    const obs = await crowdSource.observe(
      context(() => json(feed({ whatsapp: { ...service(), countries } }))),
    );
    const kept = obs.cache?.feed?.services.whatsapp?.countries ?? {};
    expect(Object.keys(kept)).toEqual(['BR', 'ES', 'DE', 'EG', 'SA', 'AE', 'IN', 'ID', 'FR', 'IT']);
  });

  it('re-validates the cache read back from storage', () => {
    expect(readCrowdCache(null)).toBeNull();
    expect(readCrowdCache({ url: 1, fetchedAt: 0 })).toBeNull();
    const tampered = readCrowdCache({ url: DOC_URL, etag: '"x"', fetchedAt: NOW, feed: { version: 9 } });
    expect(tampered).toMatchObject({ feed: null, etag: null, problem: 'no feed yet' });
    const good = readCrowdCache({
      url: DOC_URL,
      etag: '"x"',
      fetchedAt: NOW,
      feed: feed(),
      problem: null,
      probes: null,
    });
    expect(good?.feed?.services.whatsapp?.level).toBe('normal');
    expect(good?.etag).toBe('"x"');
  });

  it('applies the same limits to a cache read back from storage as to the network', () => {
    const whatsapp = {
      ...service(),
      recent: Number.MAX_VALUE,
      problems: { messages: 2, injected: 1 },
      countries: { GB: 1, UK: 9, IT: 2e9 },
    };
    const stored = readCrowdCache({
      url: DOC_URL,
      fetchedAt: NOW,
      feed: feed({ whatsapp, telegram: { ...service(), recent: Number.NaN } }),
      problem: null,
    });
    expect(stored?.feed?.services.whatsapp).toMatchObject({
      recent: COUNT_MAX,
      problems: { messages: 2 },
      countries: { IT: COUNT_MAX, GB: 1 },
    });
    expect(Object.keys(stored?.feed?.services.whatsapp?.problems ?? {})).toEqual(['messages']);
    expect(Object.keys(stored?.feed?.services.whatsapp?.countries ?? {})).toEqual(['IT', 'GB']);
    expect(stored?.feed?.services.telegram).toBeUndefined();
  });
});
