import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { DailySalt, networkKey, normalizeIp, rateKey } from '../privacy';
import { RateLimiter } from '../rate-limit';
import type { RunningServer, ServerOptions } from '../server';
import { parseTrustProxy } from '../trust-proxy';
import {
  clientId,
  fakeClock,
  http,
  postObservation,
  postReport,
  removeTempDirs,
  report,
  storedClients,
  T0,
  tempDir,
  testServer,
} from './helpers';

const servers: RunningServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});
afterAll(removeTempDirs);

async function start(options: ServerOptions): Promise<RunningServer> {
  const s = await testServer({
    ipPerMinute: 0,
    netPerMinute: 0,
    clientPerMinute: 0,
    feedRefreshMs: 0,
    ...options,
  });
  servers.push(s);
  return s;
}

describe('dedupe window', () => {
  it('counts the first report per client and service per 30 minutes', async () => {
    const clock = fakeClock();
    const s = await start({ now: clock.now });
    const post = async (overrides = {}): Promise<unknown> =>
      (await postReport(s.url, report(overrides))).json();
    expect(await post()).toEqual({ counted: true });
    clock.t += 10 * 60_000;
    expect(await post({ problem: 'calls' })).toEqual({ counted: false, reason: 'duplicate' });
    clock.t += 19 * 60_000 + 59_999; // 29:59.999 after the counted one
    expect(await post()).toEqual({ counted: false, reason: 'duplicate' });
    clock.t += 1; // 30:00 after the counted one (duplicates don't extend the window)
    expect(await post()).toEqual({ counted: true });
    expect(await post()).toEqual({ counted: false, reason: 'duplicate' });
    expect(s.stats).toMatchObject({ counted: 2, duplicate: 3 });
  });

  it('decides concurrent reports of one client atomically: exactly one counts', async () => {
    const s = await start({ batchMaxDelayMs: 20 });
    const answers = await Promise.all(
      Array.from({ length: 20 }, async () => (await postReport(s.url, report())).json()),
    );
    expect(answers.filter((a) => (a as { counted: boolean }).counted)).toHaveLength(1);
    expect(s.stats.batches).toBeLessThanOrEqual(3);
  });
});

describe('rate limits', () => {
  it('429 with Retry-After per address, refilled over time', async () => {
    const clock = fakeClock();
    const s = await start({ now: clock.now, ipPerMinute: 3 });
    for (let i = 0; i < 3; i++)
      expect((await postReport(s.url, report({ client: clientId(i) }))).status).toBe(202);
    const limited = await postReport(s.url, report({ client: clientId(9) }));
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('20');
    // No Origin (a script): no CORS header is needed, and none says "*".
    expect(limited.headers['access-control-allow-origin']).toBeUndefined();
    expect((limited.json() as { error: string }).error).toBe('rate_limited');
    // Garbage counts against the address too.
    expect((await postReport(s.url, 'not json')).status).toBe(429);
    clock.t += 19_000;
    const soon = await postReport(s.url, report({ client: clientId(9) }));
    expect(soon.status).toBe(429);
    expect(soon.headers['retry-after']).toBe('1');
    clock.t += 1000;
    expect((await postReport(s.url, report({ client: clientId(9) }))).status).toBe(202);
    expect(s.stats.rateLimited).toBe(3);
  });

  it('429 with Retry-After per client id', async () => {
    const clock = fakeClock();
    const s = await start({ now: clock.now, clientPerMinute: 2 });
    expect((await postReport(s.url, report({ service: 'whatsapp' }))).status).toBe(202);
    expect((await postReport(s.url, report({ service: 'slack' }))).status).toBe(202);
    const limited = await postReport(s.url, report({ service: 'teams' }));
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('30');
    // Another client from the same address is fine.
    expect((await postReport(s.url, report({ service: 'teams', client: clientId('b') }))).status).toBe(202);
    clock.t += 30_000;
    expect((await postReport(s.url, report({ service: 'teams' }))).status).toBe(202);
  });

  it('429 per network (IPv4 /24, IPv6 /48) however many addresses inside it send', async () => {
    const clock = fakeClock();
    const s = await start({ now: clock.now, netPerMinute: 2, trustProxy: parseTrustProxy('1') });
    const from = (ip: string): Record<string, string> => ({ 'x-forwarded-for': ip });
    const post = async (n: number, ip: string): Promise<number> =>
      (await postReport(s.url, report({ client: clientId(n) }), from(ip))).status;
    expect(await post(1, '203.0.113.5')).toBe(202);
    expect(await post(2, '203.0.113.200')).toBe(202);
    const limited = await postReport(s.url, report({ client: clientId(3) }), from('203.0.113.77'));
    expect(limited.status).toBe(429);
    expect((limited.json() as { message: string }).message).toMatch(/network/);
    expect(limited.headers['retry-after']).toBe('30');
    expect(await post(4, '203.0.114.5')).toBe(202); // the next /24 is another network
    expect(await post(5, '2001:db8:1:2::1')).toBe(202);
    expect(await post(6, '2001:db8:1:ffff::9')).toBe(202);
    expect(await post(7, '2001:db8:1:7::1')).toBe(429); // same /48
    expect(await post(8, '2001:db8:2::1')).toBe(202);
  });

  it('keys on the address the trusted proxy appended, not on what the client wrote', async () => {
    const trusting = await start({ ipPerMinute: 1, trustProxy: parseTrustProxy('1') });
    // The client writes anything on the left; the one proxy in front appends the real address.
    const via = (spoofed: string, real: string): Record<string, string> => ({
      'x-forwarded-for': `${spoofed}, ${real}`,
    });
    const post = async (n: number, headers: Record<string, string>): Promise<number> =>
      (await postReport(trusting.url, report({ client: clientId(n) }), headers)).status;
    expect(await post(1, via('203.0.113.5', '198.51.100.1'))).toBe(202);
    expect(await post(2, via('203.0.113.6', '198.51.100.1'))).toBe(429);
    expect(await post(3, via('203.0.113.5', '198.51.100.2'))).toBe(202);
    // IPv6 is limited per /64.
    expect(await post(4, { 'x-forwarded-for': '2001:db8:1:2::1' })).toBe(202);
    expect(await post(5, { 'x-forwarded-for': '2001:db8:1:2:ffff::9' })).toBe(429);

    // Not behind a proxy: the header is ignored, every request is the socket's address.
    const direct = await start({ ipPerMinute: 1 });
    expect(
      (await postReport(direct.url, report({ client: clientId(1) }), via('203.0.113.5', '1.2.3.4'))).status,
    ).toBe(202);
    expect(
      (await postReport(direct.url, report({ client: clientId(2) }), via('203.0.113.6', '1.2.3.5'))).status,
    ).toBe(429);

    // A list of proxies that does not hold the socket's address (127.0.0.1): the header is ignored too.
    const elsewhere = await start({ ipPerMinute: 1, trustProxy: parseTrustProxy('10.0.0.0/8') });
    expect(
      (await postReport(elsewhere.url, report({ client: clientId(1) }), via('1.1.1.1', '2.2.2.2'))).status,
    ).toBe(202);
    expect(
      (await postReport(elsewhere.url, report({ client: clientId(2) }), via('3.3.3.3', '4.4.4.4'))).status,
    ).toBe(429);
  });

  it('keeps a bounded number of keys under a flood of distinct addresses', () => {
    const limiter = new RateLimiter({ perMinute: 2, maxKeys: 100 });
    for (let i = 0; i < 10_000; i++) limiter.take(`10.0.${i >> 8}.${i & 255}`, T0);
    expect(limiter.size).toBe(100);
    // The most recent keys are still tracked; a recently used one survives eviction.
    expect(limiter.take('10.0.39.15', T0).ok).toBe(true);
    expect(limiter.take('10.0.39.15', T0).ok).toBe(false);
    for (let i = 0; i < 99; i++) limiter.take(`192.168.0.${i}`, T0);
    expect(limiter.take('10.0.39.15', T0).ok).toBe(false);
    expect(limiter.size).toBe(100);
  });

  it('logs the keys every in-memory limiter tracks in the stats line, reports and observations alike', async () => {
    const lines: { event: string; fields: unknown }[] = [];
    const s = await start({
      ipPerMinute: 30,
      netPerMinute: 120,
      clientPerMinute: 10,
      statsIntervalMs: 20,
      log: (event, fields) => lines.push({ event, fields }),
    });
    expect((await postReport(s.url, report())).status).toBe(202);
    const observed = await postObservation(s.url, {
      client: clientId('observer'),
      country: 'IT',
      services: { whatsapp: 'down' },
    });
    expect(observed.status).toBe(202);
    // One address, one network and one client id in the reports' buckets and in the observations'.
    await vi.waitFor(() =>
      expect(lines.filter((l) => l.event === 'stats').at(-1)?.fields).toMatchObject({ rateLimitKeys: 6 }),
    );
  });

  it('turns off with 0', () => {
    const limiter = new RateLimiter({ perMinute: 0, maxKeys: 10 });
    for (let i = 0; i < 100; i++) expect(limiter.take('a', T0).ok).toBe(true);
    expect(limiter.size).toBe(0);
  });
});

describe('privacy', () => {
  it('stores neither the address nor the client id, only hashes', async () => {
    const dir = tempDir();
    const db = join(dir, 'feed.sqlite');
    const s = await start({ db });
    expect((await postReport(s.url, report({ client: 'VerySecretClientId_1234' }))).status).toBe(202);
    const proxied = await start({ db: join(dir, 'proxied.sqlite'), trustProxy: parseTrustProxy('1') });
    expect((await postReport(proxied.url, report(), { 'x-forwarded-for': '198.51.100.77' })).status).toBe(
      202,
    );
    for (const server of servers.splice(0)) await server.close();
    for (const file of [db, join(dir, 'proxied.sqlite')]) {
      const bytes = readFileSync(file);
      expect(bytes.length).toBeGreaterThan(0);
      for (const needle of [
        '127.0.0.1',
        '127.0.0.0',
        '198.51.100.77',
        '198.51.100.0',
        'VerySecretClientId_1234',
        clientId('default'),
      ]) {
        expect(bytes.includes(Buffer.from(needle))).toBe(false);
      }
    }
    const rows = new Database(db, { readonly: true });
    // Only what dedupe reads: no address, no problem, no country in the raw reports.
    const columns = (rows.prepare('PRAGMA table_info(reports)').all() as { name: string }[]).map(
      (c) => c.name,
    );
    const row = rows.prepare('SELECT client_hash FROM reports').get() as Record<string, string>;
    const tally = rows.prepare('SELECT net_hash, reports FROM network_tally').get() as Record<string, string>;
    rows.close();
    expect(columns.sort()).toEqual(['at', 'client_hash', 'id', 'service']);
    expect(row.client_hash).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(tally).toEqual({ net_hash: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/), reports: 1 });
  });

  it('salts address hashes per UTC day, in memory only', () => {
    const a = new DailySalt();
    const b = new DailySalt();
    const noon = T0 + 2 * 60 * 60_000;
    expect(a.hash('192.0.2.1', T0)).toBe(a.hash('192.0.2.1', noon));
    expect(a.hash('192.0.2.1', T0)).toBe(a.hash('::ffff:192.0.2.1', T0));
    expect(a.hash('192.0.2.1', T0)).not.toBe(a.hash('192.0.2.2', T0));
    expect(a.hash('192.0.2.1', T0)).not.toBe(b.hash('192.0.2.1', T0)); // a restart is a new salt
    const today = a.hash('192.0.2.1', T0);
    expect(a.hash('192.0.2.1', T0 + 24 * 60 * 60_000)).not.toBe(today);
  });

  it('normalizes addresses and keys IPv6 by /64', () => {
    expect(normalizeIp('::FFFF:127.0.0.1')).toBe('127.0.0.1');
    expect(rateKey('203.0.113.9')).toBe('203.0.113.9');
    expect(rateKey('2001:db8:0:0:1:2:3:4')).toBe(rateKey('2001:0db8::ffff'));
    expect(rateKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(rateKey('2001:db8:0:1::1')).not.toBe(rateKey('2001:db8:0:2::1'));
  });

  it.each([
    ['203.0.113.9', '203.0.113.0/24'],
    ['203.0.113.250', '203.0.113.0/24'],
    ['::ffff:203.0.113.1', '203.0.113.0/24'],
    ['203.0.114.1', '203.0.114.0/24'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1::/48'],
    ['2001:0db8:0001:ffff::1', '2001:db8:1::/48'],
    ['2001:db8::1', '2001:db8:0::/48'],
    ['2001:db8:2::1', '2001:db8:2::/48'],
  ])('puts %s in the network %s', (ip, network) => {
    expect(networkKey(ip)).toBe(network);
  });
});

describe('restart', () => {
  it('keeps counts and the dedupe window across a restart on the same database', async () => {
    const clock = fakeClock(T0 + 60_000);
    const db = join(tempDir(), 'nested', 'dir', 'feed.sqlite');
    const first = await start({ db, now: clock.now });
    for (let i = 0; i < 3; i++) await postReport(first.url, report({ client: clientId(i) }));
    await first.close();
    servers.splice(0);
    const { rows, bucketSum } = storedClients(db);
    expect(rows).toBe(3);
    expect(bucketSum).toBe(3);
    clock.t += 60_000;
    const second = await start({ db, now: clock.now });
    const feed = (await http(`${second.url}/v1/feed`)).json() as {
      services: { whatsapp?: { recent: number } };
    };
    expect(feed.services.whatsapp?.recent).toBe(3);
    expect((await postReport(second.url, report({ client: clientId(0) }))).json()).toEqual({
      counted: false,
      reason: 'duplicate',
    });
    expect((await postReport(second.url, report({ client: clientId(3) }))).json()).toEqual({ counted: true });
  });
});
