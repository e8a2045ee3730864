import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../server';
import { fakeClock, http, postReport, removeTempDirs, report, T0, testServer } from './helpers';

// A read of a fresh cached feed is answered before Fastify (server/feed-http.ts); with feedRefreshMs 0 no
// document is ever fresh and every read goes through the Fastify route. Both must answer the same.

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(removeTempDirs);

async function pair(): Promise<{ fast: RunningServer; routed: RunningServer }> {
  const clock = fakeClock(T0 + 60_000);
  const common = { ipPerMinute: 0, clientPerMinute: 0, now: clock.now };
  const fast = await testServer({ ...common, feedRefreshMs: 3_600_000 });
  const routed = await testServer({ ...common, feedRefreshMs: 0 });
  servers.push(fast, routed);
  for (const s of [fast, routed]) {
    await postReport(s.url, report());
    // The first read builds the document (through the route); the fast server's later reads skip it.
    expect((await http(`${s.url}/v1/feed`)).status).toBe(200);
  }
  return { fast, routed };
}

describe('GET /v1/feed fast path', () => {
  it('answers like the Fastify route: status, headers and bytes, gzip or not, 304 or not', async () => {
    const { fast, routed } = await pair();
    const [plain, gz] = await Promise.all([
      http(`${routed.url}/v1/feed`),
      http(`${routed.url}/v1/feed`, { headers: { 'accept-encoding': 'gzip' } }),
    ]);
    const cases: Record<string, string>[] = [
      {},
      { 'accept-encoding': 'gzip, deflate, br, zstd' },
      { 'accept-encoding': 'gzip;q=0' },
      { 'if-none-match': plain.headers.etag ?? '' },
      { 'if-none-match': `W/${plain.headers.etag}, "other"` },
      { 'accept-encoding': 'gzip', 'if-none-match': gz.headers.etag ?? '' },
      { 'if-none-match': '"stale"' },
    ];
    for (const headers of cases) {
      const [a, b] = await Promise.all([fast, routed].map((s) => http(`${s.url}/v1/feed`, { headers })));
      const { date: _a, ...fastHeaders } = a?.headers ?? {};
      const { date: _b, ...routedHeaders } = b?.headers ?? {};
      expect({ status: a?.status, headers: fastHeaders }, JSON.stringify(headers)).toEqual({
        status: b?.status,
        headers: routedHeaders,
      });
      expect(a?.body.equals(b?.body ?? Buffer.alloc(0))).toBe(true);
    }
    expect(fast.stats.feedServed).toBe(routed.stats.feedServed - 2);
    expect(fast.stats.feedNotModified).toBe(routed.stats.feedNotModified);
  });

  it('leaves other methods and paths to Fastify', async () => {
    const { fast } = await pair();
    const head = await http(`${fast.url}/v1/feed`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect((await http(`${fast.url}/v1/feed?x=1`)).status).toBe(200);
    expect((await http(`${fast.url}/v1/feed/`)).status).toBe(404);
    expect((await http(`${fast.url}/v1/feed`, { method: 'POST', body: '{}' })).status).toBe(405);
  });
});
