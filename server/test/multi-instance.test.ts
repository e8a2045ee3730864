// Two feed server processes on one PostgreSQL database, as behind a load balancer: whichever instance a
// report reaches, a client counts once per 30 min, meets one rate limit, its address hashes alike, and
// readers get the same feed and ETag from both.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALGORITHM } from '../core/baseline';
import { clientId, type FeedProcess, http, postReport, type RawResponse, report } from './helpers';
import { type PgCluster, startPgCluster } from './pg-cluster';
import { databaseOf, feedOnPostgres, killAll } from './pg-instances';

const CLIENT_LIMIT = 3;
const IP_LIMIT = 6;
const NET_LIMIT = 8;
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
  const args = ['--trust-proxy', '1', '--feed-refresh-ms', String(REFRESH_MS)];
  const limits = [
    ...['--ip-limit', String(IP_LIMIT), '--client-limit', String(CLIENT_LIMIT)],
    ...['--net-limit', String(NET_LIMIT)],
  ];
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

  it('share the network limit across instances: one /24, many addresses', async () => {
    const answers: string[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await postReport(
        i % 2 ? a.url : b.url,
        report({ client: clientId(`net-${i}`), service: 'discord' }),
        from(`10.0.7.${i + 1}`),
      );
      answers.push(said(res));
    }
    expect(answers.slice(0, NET_LIMIT)).toEqual(Array(NET_LIMIT).fill('counted'));
    expect(answers.slice(NET_LIMIT)).toEqual(Array(12 - NET_LIMIT).fill('rate_limited'));
  });

  it('hash one network alike on both instances (one shared daily salt) and cap it once', async () => {
    const db = databaseOf(url);
    for (let i = 0; i < 5; i++) {
      const res = await postReport(
        i % 2 ? a.url : b.url,
        report({ client: clientId(`salt-${i}`), service: 'messenger' }),
        from(`10.0.4.${i + 1}`),
      );
      expect(said(res)).toBe('counted');
    }
    await postReport(
      b.url,
      report({ client: clientId('salt-other'), service: 'messenger' }),
      from('10.0.9.1'),
    );
    const tallies = await cluster.query<{ reports: number }>(
      db,
      "SELECT reports FROM network_tally WHERE service = 'messenger' ORDER BY reports",
    );
    // Two networks: the capped one (5 reports from two instances, 3 added) and the other.
    expect(tallies.map((t) => t.reports)).toEqual([1, ALGORITHM.networkCap]);
    const [bucket] = await cluster.query<{ reports: string; networks: string }>(
      db,
      "SELECT reports, networks FROM buckets WHERE service = 'messenger'",
    );
    expect(bucket).toEqual({ reports: String(ALGORITHM.networkCap + 1), networks: '2' });
    // Only the current day's salt is stored.
    expect(await cluster.query(db, 'SELECT day FROM address_salt')).toHaveLength(1);
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

  it('count a network’s observations once across instances, and publish the same probes and sample', async () => {
    const observe = (p: FeedProcess, n: number, ip: string, state: string) =>
      http(`${p.url}/v1/observations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...from(ip) },
        body: JSON.stringify({ client: clientId(`obs-${n}`), country: 'IT', services: { signal: state } }),
      });
    // One network through both instances (up by its majority), and three networks down.
    const answers = await Promise.all([
      ...[0, 1, 2].map((n) => observe(n % 2 ? a : b, n, `10.0.8.${n + 1}`, 'up')),
      observe(a, 3, '10.0.8.9', 'down'),
      ...[4, 5, 6].map((n) => observe(n % 2 ? a : b, n, `10.0.${20 + n}.1`, 'down')),
    ]);
    expect(answers.map(said)).toEqual(Array(7).fill('counted'));
    await new Promise((resolve) => setTimeout(resolve, REFRESH_MS + 100));
    type Doc = { observe?: unknown; services: { signal?: { probes?: unknown } } };
    const [fa, fb] = await Promise.all([http(`${a.url}/v1/feed`), http(`${b.url}/v1/feed`)]);
    const [da, db] = [fa.json() as Doc, fb.json() as Doc];
    expect(da.services.signal?.probes).toEqual({
      down: 3,
      up: 1,
      countries: { IT: [3, 1] },
      scope: 'everyone',
    });
    expect(db.services.signal?.probes).toEqual(da.services.signal?.probes);
    expect(da.observe).toEqual({ sample: 1, spreadSeconds: 60 });
    expect(db.observe).toEqual(da.observe);
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
