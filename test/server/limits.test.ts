import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { clientAddress, DailySalt, normalizeIp, rateKey } from '../../server/privacy';
import { RateLimiter } from '../../server/rate-limit';
import type { RunningServer, ServerOptions } from '../../server/server';
import {
  clientId,
  fakeClock,
  http,
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
  const s = await testServer({ ipPerMinute: 0, clientPerMinute: 0, feedRefreshMs: 0, ...options });
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
    expect(limited.headers['access-control-allow-origin']).toBe('*');
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

  it('keys on the first X-Forwarded-For entry only with trustProxy', async () => {
    const trusting = await start({ ipPerMinute: 1, trustProxy: true });
    const via = (ip: string): Record<string, string> => ({ 'x-forwarded-for': `${ip}, 10.0.0.1` });
    expect((await postReport(trusting.url, report({ client: clientId(1) }), via('203.0.113.5'))).status).toBe(
      202,
    );
    expect((await postReport(trusting.url, report({ client: clientId(2) }), via('203.0.113.6'))).status).toBe(
      202,
    );
    expect((await postReport(trusting.url, report({ client: clientId(3) }), via('203.0.113.5'))).status).toBe(
      429,
    );
    // IPv6 is limited per /64.
    const v6 = { 'x-forwarded-for': '2001:db8:1:2::1' };
    const v6b = { 'x-forwarded-for': '2001:db8:1:2:ffff::9' };
    expect((await postReport(trusting.url, report({ client: clientId(4) }), v6)).status).toBe(202);
    expect((await postReport(trusting.url, report({ client: clientId(5) }), v6b)).status).toBe(429);

    const direct = await start({ ipPerMinute: 1 });
    expect((await postReport(direct.url, report({ client: clientId(1) }), via('203.0.113.5'))).status).toBe(
      202,
    );
    expect((await postReport(direct.url, report({ client: clientId(2) }), via('203.0.113.6'))).status).toBe(
      429,
    );
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
    const proxied = await start({ db: join(dir, 'proxied.sqlite'), trustProxy: true });
    expect(
      (await postReport(proxied.url, report(), { 'x-forwarded-for': '198.51.100.77, 127.0.0.1' })).status,
    ).toBe(202);
    for (const server of servers.splice(0)) await server.close();
    for (const file of [db, join(dir, 'proxied.sqlite')]) {
      const bytes = readFileSync(file);
      expect(bytes.length).toBeGreaterThan(0);
      for (const needle of ['127.0.0.1', '198.51.100.77', 'VerySecretClientId_1234', clientId('default')]) {
        expect(bytes.includes(Buffer.from(needle))).toBe(false);
      }
    }
    const rows = new Database(db, { readonly: true });
    const row = rows.prepare('SELECT client_hash, ip_hash FROM reports').get() as Record<string, string>;
    rows.close();
    expect(row.ip_hash).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(row.client_hash).toMatch(/^[A-Za-z0-9_-]{22}$/);
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
    const req = (xff: string | undefined, remote = '::ffff:10.1.2.3') =>
      ({
        headers: xff === undefined ? {} : { 'x-forwarded-for': xff },
        socket: { remoteAddress: remote },
      }) as never;
    expect(clientAddress(req('198.51.100.1, 10.0.0.1'), true)).toBe('198.51.100.1');
    expect(clientAddress(req('198.51.100.1'), false)).toBe('10.1.2.3');
    expect(clientAddress(req('not-an-ip'), true)).toBe('10.1.2.3');
    expect(clientAddress(req(undefined), true)).toBe('10.1.2.3');
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
