// The one HTTP helper every source and the report use: a typed outcome for every way a request can
// end, a timeout driven by the injected timer (so a virtual clock drives it), a size limit, validators,
// and never the user's cookies.
import { describe, expect, it } from 'vitest';
import { VirtualTime } from '../../bench/virtual-time';
import { type HttpEnv, type HttpOutcome, type HttpRequest, httpRequest } from '../../src/sources/http';

type Answer = (init: RequestInit | undefined) => Response | Promise<Response>;

function env(
  answer: Answer,
  vt = new VirtualTime(),
): HttpEnv & { inits: (RequestInit | undefined)[]; vt: VirtualTime } {
  const inits: (RequestInit | undefined)[] = [];
  return {
    vt,
    inits,
    fetch: async (_input, init) => {
      inits.push(init);
      return answer(init);
    },
    clock: vt.clock,
    setTimer: vt.setTimer,
  };
}

const REQ: HttpRequest = { url: 'https://feed.example.org/v1/feed', timeoutMs: 4000, maxBytes: 64 };

function redirected(response: Response, finalUrl: string): Response {
  Object.defineProperty(response, 'url', { value: finalUrl });
  return response;
}

/** A body that never ends: only the abort stops it. */
function endless(init: RequestInit | undefined): Response {
  return new Response(
    new ReadableStream<Uint8Array>({
      start(controller) {
        init?.signal?.addEventListener('abort', () =>
          controller.error(new DOMException('aborted', 'AbortError')),
        );
      },
    }),
  );
}

describe('httpRequest', () => {
  it.each<[string, Answer, Partial<HttpRequest>, Partial<HttpOutcome>]>([
    [
      'a 200 with its body and validators',
      () => new Response('{"a":1}', { headers: { etag: '"v1"' } }),
      {},
      {
        kind: 'ok',
        status: 200,
        body: '{"a":1}',
        validators: { etag: '"v1"', lastModified: null },
      },
    ],
    ['a 304', () => new Response(null, { status: 304 }), {}, { kind: 'not-modified' }],
    [
      'a 429 with Retry-After and its body',
      () => new Response('{"error":"rate_limited"}', { status: 429, headers: { 'retry-after': '42' } }),
      {},
      {
        kind: 'http-error',
        status: 429,
        retryAfter: '42',
        body: '{"error":"rate_limited"}',
      },
    ],
    [
      'a body over the limit, declared',
      () => new Response('x', { headers: { 'content-length': '1000' } }),
      {},
      { kind: 'too-large' },
    ],
    ['a body over the limit, streamed', () => new Response('x'.repeat(65)), {}, { kind: 'too-large' }],
    [
      'a connection error',
      () => Promise.reject(new TypeError('Failed to fetch')),
      {},
      { kind: 'unreachable' },
    ],
    [
      'an answer after a redirect from https to http',
      () => redirected(new Response('{}'), 'http://feed.example.org/v1/feed'),
      {},
      {
        kind: 'insecure-redirect',
      },
    ],
    [
      'an answer after a redirect that stays on https',
      () => redirected(new Response('{}'), 'https://cdn.example.net/feed'),
      {},
      {
        kind: 'ok',
        body: '{}',
      },
    ],
    [
      'a redirect, when asked to stop at one',
      () => new Response(null, { status: 302, headers: { location: 'http://portal/' } }),
      { redirect: 'manual' },
      {
        kind: 'redirect',
      },
    ],
    [
      'a body not asked for',
      () => new Response('ignored'),
      { maxBytes: undefined },
      { kind: 'ok', body: null },
    ],
  ])('%s', async (_name, answer, req, expected) => {
    expect(await httpRequest(env(answer), { ...REQ, ...req })).toMatchObject(expected);
  });

  it('times out on the injected clock, the body included, and says so', async () => {
    const e = env(endless);
    const pending = httpRequest(e, REQ);
    await e.vt.run(pending);
    expect(await pending).toEqual({ kind: 'timeout', latencyMs: 4000 });
  });

  it('never sends cookies, sends validators only when given, and asks no cache by default', async () => {
    const e = env(() => new Response('{}'));
    await httpRequest(e, {
      ...REQ,
      validators: { etag: '"v1"', lastModified: 'Mon, 23 Nov 2026 13:00:00 GMT' },
    });
    await httpRequest(e, REQ);
    const [withValidators, plain] = e.inits;
    expect(withValidators?.credentials).toBe('omit');
    expect(withValidators?.cache).toBe('no-store');
    expect(new Headers(withValidators?.headers).get('if-none-match')).toBe('"v1"');
    expect(new Headers(withValidators?.headers).get('if-modified-since')).toBe(
      'Mon, 23 Nov 2026 13:00:00 GMT',
    );
    expect([...new Headers(plain?.headers).keys()]).toEqual([]);
    expect(plain?.credentials).toBe('omit');
  });

  it('reads an opaque answer (no-cors, without host permission) as reachable with no status', async () => {
    const opaque = new Response(null, { status: 200 });
    Object.defineProperty(opaque, 'type', { value: 'opaque' });
    expect(
      await httpRequest(
        env(() => opaque),
        { ...REQ, mode: 'no-cors', maxBytes: undefined },
      ),
    ).toMatchObject({
      kind: 'ok',
      status: null,
    });
  });
});
