import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { readFeed } from '../../src/shared/feed';
import type { RunningServer } from '../server';
import { clientId, fakeClock, http, postReport, removeTempDirs, report, T0, testServer } from './helpers';

let server: RunningServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});
afterAll(removeTempDirs);

async function start(options: Parameters<typeof testServer>[0] = {}): Promise<RunningServer> {
  // A still clock: the feed is rebuilt on every request, and the same data gives the same bytes.
  const clock = fakeClock(T0 + 60_000);
  server = await testServer({
    ipPerMinute: 0,
    clientPerMinute: 0,
    feedRefreshMs: 0,
    now: clock.now,
    ...options,
  });
  return server;
}

const EXTENSION = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';

describe('POST /v1/reports', () => {
  it('answers 202 counted, then duplicate for the same client and service', async () => {
    const s = await start();
    const first = await postReport(s.url, report(), { origin: EXTENSION });
    expect(first.status).toBe(202);
    expect(first.json()).toEqual({ counted: true });
    expect(first.headers['access-control-allow-origin']).toBe(EXTENSION);
    expect(first.headers['content-type']).toBe('application/json');
    const again = await postReport(s.url, report({ problem: 'login' }));
    expect(again.status).toBe(202);
    expect(again.json()).toEqual({ counted: false, reason: 'duplicate' });
    // Another service, or another client: counted.
    expect((await postReport(s.url, report({ service: 'slack' }))).json()).toEqual({ counted: true });
    expect((await postReport(s.url, report({ client: clientId('other') }))).json()).toEqual({
      counted: true,
    });
  });

  it('accepts a report without a country and a charset parameter', async () => {
    const s = await start();
    const { country: _, ...noCountry } = report();
    const res = await postReport(s.url, noCountry, { 'content-type': 'application/json; charset=utf-8' });
    expect(res.status).toBe(202);
    expect(res.json()).toEqual({ counted: true });
  });

  it.each([
    [{ service: 'myspace' }, 'service: unknown service'],
    [{ service: 5 }, 'service: unknown service'],
    [{ problem: 'weather' }, 'problem: unknown problem'],
    [{ country: 'it' }, 'country: '],
    [{ country: 'ITA' }, 'country: '],
    [{ country: 'UK' }, 'country: country must be an assigned ISO 3166-1 alpha-2 code'],
    [{ country: 'XX' }, 'country: '],
    [{ country: 7 }, 'country: '],
    [{ client: 'short' }, 'client: '],
    [{ client: 'has spaces in it, too many' }, 'client: '],
    [{ client: 'x'.repeat(65) }, 'client: '],
  ])('400 invalid_report for %j', async (overrides, message) => {
    const s = await start();
    const res = await postReport(s.url, { ...report(), ...overrides }, { origin: EXTENSION });
    expect(res.status).toBe(400);
    const body = res.json() as { error: string; message: string };
    expect(body.error).toBe('invalid_report');
    expect(body.message.startsWith(message)).toBe(true);
    // The extension can read why (its own origin echoed, never "*").
    expect(res.headers['access-control-allow-origin']).toBe(EXTENSION);
  });

  it.each(['service', 'problem', 'client'])('400 naming the missing field %s', async (field) => {
    const s = await start();
    const body: Record<string, unknown> = { ...report() };
    delete body[field];
    const res = await postReport(s.url, body);
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid_report', message: `${field}: required` });
  });

  it('400 for a body that is not JSON, or not an object', async () => {
    const s = await start();
    const broken = await postReport(s.url, '{"service": ');
    expect(broken.status).toBe(400);
    expect(broken.json()).toEqual({ error: 'invalid_json', message: 'body: not valid JSON' });
    for (const body of ['[]', '"whatsapp"', 'null', '42']) {
      const res = await postReport(s.url, body);
      expect(res.status).toBe(400);
      expect(res.json()).toEqual({ error: 'invalid_report', message: 'body: must be a JSON object' });
    }
  });

  it('415 when the body is not declared JSON', async () => {
    const s = await start();
    const cases: Record<string, string>[] = [
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/x-www-form-urlencoded' },
      {},
    ];
    for (const headers of cases) {
      const res = await http(`${s.url}/v1/reports`, {
        method: 'POST',
        headers,
        body: JSON.stringify(report()),
      });
      expect(res.status).toBe(415);
      expect((res.json() as { error: string }).error).toBe('unsupported_media_type');
    }
  });

  it('413 over 2 KiB, with a content-length and streamed without one', async () => {
    const s = await start();
    const big = JSON.stringify({ ...report(), padding: 'x'.repeat(3000) });
    const declared = await postReport(s.url, big);
    expect(declared.status).toBe(413);
    expect((declared.json() as { error: string }).error).toBe('too_large');
    const streamed = await http(`${s.url}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: big,
      chunked: true,
    });
    expect(streamed.status).toBe(413);
    const huge = await http(`${s.url}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.alloc(4 * 1024 * 1024, 0x20),
      chunked: true,
    });
    expect(huge.status).toBe(413);
    // Exactly at the limit is fine (and padding fields are ignored).
    const base = JSON.stringify(report({ client: clientId('edge') }));
    const edge = `${base.slice(0, -1)},"pad":"${'y'.repeat(2048 - base.length - 9)}"}`;
    expect(Buffer.byteLength(edge)).toBe(2048);
    expect((await postReport(s.url, edge)).status).toBe(202);
    expect(s.stats.counted).toBe(1);
  });

  it('answers the feed preflight for any origin', async () => {
    const s = await start();
    const res = await http(`${s.url}/v1/feed`, {
      method: 'OPTIONS',
      headers: { origin: 'https://example.org', 'access-control-request-method': 'GET' },
    });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-methods']).toContain('GET');
  });

  it('405 for other methods, 404 for other paths', async () => {
    const s = await start();
    const get = await http(`${s.url}/v1/reports`);
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST, OPTIONS');
    const post = await http(`${s.url}/v1/feed`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    for (const path of ['/', '/v2/feed', '/v1/feed/', '/v1/reportsx']) {
      const res = await http(`${s.url}${path}`);
      expect(res.status).toBe(404);
      expect((res.json() as { error: string }).error).toBe('not_found');
      expect(res.headers['access-control-allow-origin']).toBe('*');
    }
  });
});

describe('only browser extensions post reports', () => {
  it.each([
    ['Chrome', 'chrome-extension://abcdefghijklmnopabcdefghijklmnop'],
    ['Firefox', 'moz-extension://0c7bd1a4-3b8e-4a36-9b43-7d1fe1a2c3d4'],
    ['Safari', 'safari-web-extension://E4B1F2A3-1234-4C5D-8E9F-0123456789AB'],
  ])('accepts a report from a %s extension, echoing its origin in CORS', async (_, origin) => {
    const s = await start();
    const res = await postReport(s.url, report(), { origin });
    expect(res.status).toBe(202);
    expect(res.json()).toEqual({ counted: true });
    expect(res.headers['access-control-allow-origin']).toBe(origin);
    expect(res.headers.vary).toMatch(/origin/i);
    const preflight = await http(`${s.url}/v1/reports`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(origin);
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    expect(preflight.headers['access-control-allow-headers']).toContain('content-type');
  });

  it('accepts a report with no Origin (a script), without CORS', async () => {
    const s = await start();
    const res = await postReport(s.url, report());
    expect(res.status).toBe(202);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it.each([
    'https://example.org',
    'http://localhost:8080',
    'null',
    'chrome-extension://',
    'chrome-extension://abc/path',
    'chrome-extension://abc.evil.example:443@x',
    'moz-extension:abc',
    'https://chrome-extension.example',
    'file://',
  ])(
    'refuses a report, and its preflight, from Origin %j: 403 forbidden-origin, nothing counted',
    async (origin) => {
      const s = await start();
      const res = await postReport(s.url, report(), { origin });
      expect(res.status).toBe(403);
      expect(res.json()).toMatchObject({
        error: 'forbidden-origin',
        message: expect.stringMatching(/extensions/),
      });
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await http(`${s.url}/v1/reports`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
      expect(preflight.status).toBe(403);
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      // Refused before the body is read: even a malformed or huge one is a 403, not a 400 or 413.
      expect((await postReport(s.url, 'x'.repeat(5000), { origin })).status).toBe(403);
      expect(s.stats).toMatchObject({ counted: 0, forbiddenOrigin: 2 });
      const feed = (await http(`${s.url}/v1/feed`, { headers: { origin } })).json() as { services: object };
      expect(feed.services).toEqual({});
    },
  );
});

describe('GET /healthz', () => {
  it('answers 200 {"ok":true}', async () => {
    const s = await start();
    const res = await http(`${s.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ ok: true });
  });
});

describe('GET /v1/feed', () => {
  it('serves a valid v1 document with the counted reports, ETag, cache-control and CORS', async () => {
    const clock = fakeClock(T0 + 5 * 60_000);
    const s = await start({ now: clock.now });
    await postReport(s.url, report({ client: clientId(1), country: 'GB' }));
    await postReport(s.url, report({ client: clientId(2), problem: 'login', country: 'GB' }));
    await postReport(s.url, report({ client: clientId(2) })); // duplicate: not counted
    await postReport(s.url, report({ client: clientId(3), service: 'telegram', problem: 'connection' }));
    const res = await http(`${s.url}/v1/feed`, { headers: { origin: 'https://example.org' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cache-control']).toBe('public, max-age=15');
    expect(res.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const read = readFeed(res.json());
    if ('error' in read) throw new Error(read.error);
    expect(read.dropped).toBe(0);
    const { whatsapp, telegram } = read.feed.services;
    expect(whatsapp?.recent).toBe(2);
    expect(whatsapp?.problems).toEqual({ messages: 1, login: 1 });
    expect(whatsapp?.countries).toEqual({ GB: 2 });
    expect(whatsapp?.series).toHaveLength(96);
    expect(whatsapp?.series.at(-1)).toMatchObject({ t: '2026-11-22T10:00:00Z', reports: 2 });
    expect(telegram?.recent).toBe(1);
    expect(read.feed.services.slack).toBeUndefined();
    expect(read.feed.generatedAt).toBe('2026-11-22T10:05:00Z');
  });

  it('answers 304 on If-None-Match, and 200 once the content changed', async () => {
    const s = await start();
    await postReport(s.url, report());
    const first = await http(`${s.url}/v1/feed`);
    const etag = first.headers.etag ?? '';
    const again = await http(`${s.url}/v1/feed`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    expect(again.headers['cache-control']).toBe('public, max-age=15');
    expect(again.headers['access-control-allow-origin']).toBe('*');
    expect(
      (await http(`${s.url}/v1/feed`, { headers: { 'if-none-match': `W/${etag}, "other"` } })).status,
    ).toBe(304);
    expect((await http(`${s.url}/v1/feed`, { headers: { 'if-none-match': '"stale"' } })).status).toBe(200);
  });

  it('keeps its ETag across rebuilds while nothing changed, so a reader a minute later gets 304', async () => {
    const clock = fakeClock(T0 + 60_000);
    const s = await start({ now: clock.now, feedRefreshMs: 5000 });
    await postReport(s.url, report());
    const first = await http(`${s.url}/v1/feed`);
    clock.t += 60_000; // twelve refresh periods later, same bucket, no new report
    const later = await http(`${s.url}/v1/feed`, { headers: { 'if-none-match': first.headers.etag ?? '' } });
    expect(later.status).toBe(304);
    expect(later.headers.etag).toBe(first.headers.etag);
    await postReport(s.url, report({ client: clientId('another') }));
    clock.t += 5000;
    const changed = await http(`${s.url}/v1/feed`, {
      headers: { 'if-none-match': first.headers.etag ?? '' },
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(first.headers.etag);
  });

  it('is rebuilt at most every feedRefreshMs', async () => {
    const clock = fakeClock(T0 + 60_000);
    const s = await start({ now: clock.now, feedRefreshMs: 5000 });
    const before = await http(`${s.url}/v1/feed`);
    await postReport(s.url, report());
    clock.t += 4000;
    const cached = await http(`${s.url}/v1/feed`);
    expect(cached.headers.etag).toBe(before.headers.etag);
    expect(cached.text).toBe(before.text);
    clock.t += 1000;
    const fresh = await http(`${s.url}/v1/feed`);
    expect(fresh.headers.etag).not.toBe(before.headers.etag);
    expect((fresh.json() as { services: { whatsapp?: { recent: number } } }).services.whatsapp?.recent).toBe(
      1,
    );
    // A 304 for the new tag.
    expect(
      (await http(`${s.url}/v1/feed`, { headers: { 'if-none-match': fresh.headers.etag ?? '' } })).status,
    ).toBe(304);
  });

  it('serves gzip when asked, with its own strong ETag', async () => {
    const s = await start();
    await postReport(s.url, report());
    const plain = await http(`${s.url}/v1/feed`);
    const gz = await http(`${s.url}/v1/feed`, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.vary).toBe('accept-encoding');
    expect(gunzipSync(gz.body).toString()).toBe(plain.text);
    expect(gz.headers.etag).not.toBe(plain.headers.etag);
    expect(
      (
        await http(`${s.url}/v1/feed`, {
          headers: { 'accept-encoding': 'gzip', 'if-none-match': gz.headers.etag ?? '' },
        })
      ).status,
    ).toBe(304);
    const refused = await http(`${s.url}/v1/feed`, { headers: { 'accept-encoding': 'gzip;q=0' } });
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  it('answers HEAD with headers only', async () => {
    const s = await start();
    const res = await http(`${s.url}/v1/feed`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(0);
    expect(Number(res.headers['content-length'])).toBeGreaterThan(0);
  });
});
