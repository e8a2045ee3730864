// Two feed server processes on one PostgreSQL database, as behind a load balancer: whichever instance a
// report reaches, a client counts once per 30 min, meets one rate limit, its address hashes alike, and
// readers get the same feed and ETag from both.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientId,
  type FeedProcess,
  hashClient,
  http,
  postReport,
  type RawResponse,
  report,
} from './helpers';
import { type PgCluster, startPgCluster } from './pg-cluster';
import { databaseOf, feedOnPostgres, killAll, storedOnPostgres } from './pg-instances';

const CLIENT_LIMIT = 3;
const IP_LIMIT = 6;
const REFRESH_MS = 300;

let cluster: PgCluster;
let url: string;
let a: FeedProcess;
let b: FeedProcess;
const running: FeedProcess[] = [];

beforeAll(async () => {
  cluster = await startPgCluster({ fsync: false });
  url = await cluster.createDatabase();
  // Behind a proxy: every test gets addresses of its own through X-Forwarded-For.
  const args = ['--trust-proxy', '--feed-refresh-ms', String(REFRESH_MS)];
  const limits = ['--ip-limit', String(IP_LIMIT), '--client-limit', String(CLIENT_LIMIT)];
  [a, b] = await Promise.all([
    feedOnPostgres(url, running, [...args, ...limits]),
    feedOnPostgres(url, running, [...args, ...limits]),
  ]);
});
afterAll(async () => {
  await killAll(running);
  cluster?.destroy();
});

const from = (ip: string) => ({ 'x-forwarded-for': ip });
const said = (res: RawResponse): string => {
  const body = res.json() as { counted?: boolean; reason?: string; error?: string };
  return body.counted ? 'counted' : (body.reason ?? body.error ?? String(res.status));
};
const tally = (answers: string[]): Record<string, number> =>
  answers.reduce<Record<string, number>>((t, s) => {
    t[s] = (t[s] ?? 0) + 1;
    return t;
  }, {});

describe('two instances on one PostgreSQL database', () => {
  it('run on PostgreSQL and are healthy', async () => {
    for (const p of [a, b]) {
      expect((await http(`${p.url}/healthz`)).status).toBe(200);
      expect(p.lines.map((l) => JSON.parse(l)).find((e) => e.event === 'listening')).toMatchObject({
        storage: 'postgres',
        db: 'postgres',
      });
    }
  });

  it('count a client once: the other instance answers duplicate', async () => {
    const body = report({ client: clientId('once') });
    expect(said(await postReport(a.url, body, from('10.0.1.1')))).toBe('counted');
    expect(said(await postReport(b.url, body, from('10.0.1.2')))).toBe('duplicate');
  });

  it('share the client limit and dedupe when one client hits both at once', async () => {
    const body = report({ client: clientId('racer'), service: 'telegram' });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => postReport(i % 2 ? a.url : b.url, body, from(`10.0.2.${i}`))),
    );
    // CLIENT_LIMIT pass the shared limit (one counts, the rest are duplicates); everything else is 429.
    expect(tally(answers.map(said))).toEqual({
      counted: 1,
      duplicate: CLIENT_LIMIT - 1,
      rate_limited: 20 - CLIENT_LIMIT,
    });
    const limited = answers.find((r) => r.status === 429);
    const retry = Number(limited?.headers['retry-after']);
    expect(retry).toBeGreaterThanOrEqual(1);
    // One token comes back every 60 / CLIENT_LIMIT s (rounded up to whole seconds, clocks a few ms apart).
    expect(retry).toBeLessThanOrEqual(60 / CLIENT_LIMIT + 1);
  });

  it('share the address limit across instances', async () => {
    const answers: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await postReport(
        i % 2 ? a.url : b.url,
        report({ client: clientId(`ip-${i}`) }),
        from('10.0.3.1'),
      );
      answers.push(said(res));
    }
    expect(answers.slice(0, IP_LIMIT)).toEqual(Array(IP_LIMIT).fill('counted'));
    expect(answers.slice(IP_LIMIT)).toEqual(Array(10 - IP_LIMIT).fill('rate_limited'));
  });

  it('hash one address alike on both instances (one shared daily salt)', async () => {
    const [c1, c2, c3] = [clientId('salt-1'), clientId('salt-2'), clientId('salt-3')];
    await postReport(a.url, report({ client: c1 }), from('10.0.4.1'));
    await postReport(b.url, report({ client: c2 }), from('10.0.4.1'));
    await postReport(b.url, report({ client: c3 }), from('10.0.4.2'));
    const { key } = await storedOnPostgres(cluster, url);
    const rows = await cluster.query<{ client_hash: string; ip_hash: string }>(
      databaseOf(url),
      'SELECT client_hash, ip_hash FROM reports WHERE client_hash = ANY($1)',
      [[c1, c2, c3].map((c) => hashClient(key, c))],
    );
    const ipOf = new Map(rows.map((r) => [r.client_hash, r.ip_hash]));
    expect(ipOf.size).toBe(3);
    expect(ipOf.get(hashClient(key, c1))).toBe(ipOf.get(hashClient(key, c2)));
    expect(ipOf.get(hashClient(key, c3))).not.toBe(ipOf.get(hashClient(key, c1)));
    // Only the current day's salt is stored.
    expect(await cluster.query(databaseOf(url), 'SELECT day FROM address_salt')).toHaveLength(1);
  });

  it('serve the same feed content and ETag, and a 304 for the other instance’s ETag', async () => {
    await postReport(a.url, report({ client: clientId('feed-1'), service: 'slack' }), from('10.0.5.1'));
    await postReport(b.url, report({ client: clientId('feed-2'), service: 'slack' }), from('10.0.5.2'));
    // Both rebuild from the same data once their cached copies are older than the refresh period.
    await new Promise((resolve) => setTimeout(resolve, REFRESH_MS + 100));
    const [fa, fb] = await Promise.all([http(`${a.url}/v1/feed`), http(`${b.url}/v1/feed`)]);
    expect(fa.status).toBe(200);
    expect(fa.headers.etag).toBe(fb.headers.etag);
    type Doc = { generatedAt: string | null; services: { slack?: { recent: number } } };
    const content = (res: RawResponse): Doc => ({ ...(res.json() as Doc), generatedAt: null });
    expect(content(fa)).toEqual(content(fb));
    expect(content(fa).services.slack?.recent).toBe(2);
    for (const [p, etag] of [
      [b, fa.headers.etag],
      [a, fb.headers.etag],
    ] as const) {
      const again = await http(`${p.url}/v1/feed`, { headers: { 'if-none-match': etag ?? '' } });
      expect(again.status).toBe(304);
      expect(again.headers['cache-control']).toBe('public, max-age=15');
    }
  });

  it('drain on SIGTERM (exit 0) while the other instance keeps serving', async () => {
    const answer = await postReport(b.url, report({ client: clientId('last-word') }), from('10.0.6.1'));
    b.child.kill('SIGTERM');
    expect(await b.exited).toEqual({ code: 0, signal: null });
    expect(b.lines.some((l) => (JSON.parse(l) as { event?: string }).event === 'stopped')).toBe(true);
    expect(said(answer)).toBe('counted');
    expect(said(await postReport(a.url, report({ client: clientId('after-b') }), from('10.0.6.2')))).toBe(
      'counted',
    );
  });
});
