// POST /v1/observations, every answer code, and what the feed then says (`probes`, `observe`); the
// catalog ids the feed takes, and the ids it refuses.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SERVICE_IDS } from '../../src/core/services';
import { OBSERVATION_MAX_BYTES, readFeed } from '../../src/shared/feed';
import { parseConfig } from '../config';
import { DEFAULTS, type RunningServer } from '../server';
import { openSqliteStorage } from '../storage/sqlite';
import type { FeedStorage } from '../storage/types';
import { parseTrustProxy } from '../trust-proxy';
import {
  clientId,
  fakeClock,
  http,
  postObservation,
  postReport,
  removeTempDirs,
  report,
  T0,
  tempDir,
  testServer,
} from './helpers';

const servers: RunningServer[] = [];
const stores: FeedStorage[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const s of stores.splice(0)) await s.close();
});
afterAll(removeTempDirs);

const EXTENSION = 'moz-extension://0c7bd1a4-3b8e-4a36-9b43-7d1fe1a2c3d4';

async function start(options: Parameters<typeof testServer>[0] = {}): Promise<RunningServer> {
  const clock = fakeClock(T0 + 60_000);
  const s = await testServer({
    ipPerMinute: 0,
    netPerMinute: 0,
    clientPerMinute: 0,
    feedRefreshMs: 0,
    now: clock.now,
    ...options,
  });
  servers.push(s);
  return s;
}

function observation(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    client: clientId('observer'),
    country: 'IT',
    services: { whatsapp: 'down', telegram: 'up' },
    ...overrides,
  };
}

async function feedOf(s: RunningServer) {
  const read = readFeed((await http(`${s.url}/v1/feed`)).json());
  if ('error' in read) throw new Error(read.error);
  return read.feed;
}

describe('POST /v1/observations', () => {
  it('answers 202 counted, false for a repeat of the same states, true again once a state changes', async () => {
    const s = await start();
    const first = await postObservation(s.url, observation(), { origin: EXTENSION });
    expect(first.status).toBe(202);
    expect(first.json()).toEqual({ counted: true });
    expect(first.headers['access-control-allow-origin']).toBe(EXTENSION);
    expect(first.headers['content-type']).toBe('application/json');
    expect((await postObservation(s.url, observation())).json()).toEqual({ counted: false });
    expect(
      (await postObservation(s.url, observation({ services: { whatsapp: 'up', telegram: 'up' } }))).json(),
    ).toEqual({ counted: true });
    // Without a country, another client: counted.
    const { country: _, ...noCountry } = observation({ client: clientId('other') });
    expect((await postObservation(s.url, noCountry)).json()).toEqual({ counted: true });
    expect(s.stats).toMatchObject({ observationsCounted: 3, observationsNotCounted: 1, counted: 0 });
  });

  it.each([
    [{ client: 'short' }, 'client: client must be 16–64 of A-Za-z0-9_-'],
    [{ client: 7 }, 'client: '],
    [{ country: 'it' }, 'country: country must be an assigned ISO 3166-1 alpha-2 code'],
    [{ country: 'UK' }, 'country: country must be an assigned ISO 3166-1 alpha-2 code'],
    [{ services: {} }, 'services: services must name at least one service'],
    [{ services: [] }, 'services: services must be an object'],
    [{ services: 'whatsapp' }, 'services: services must be an object'],
    [{ services: { myspace: 'down' } }, 'services: services may hold only known service ids'],
    [{ services: { whatsapp: 'sideways' } }, 'services.whatsapp: each service must be "down" or "up"'],
    [{ services: { whatsapp: true } }, 'services.whatsapp: each service must be "down" or "up"'],
  ])('400 invalid_observation for %j', async (overrides, message) => {
    const s = await start();
    const res = await postObservation(s.url, observation(overrides), { origin: EXTENSION });
    expect(res.status).toBe(400);
    const body = res.json() as { error: string; message: string };
    expect(body.error).toBe('invalid_observation');
    expect(body.message.startsWith(message)).toBe(true);
    expect(res.headers['access-control-allow-origin']).toBe(EXTENSION);
  });

  it.each(['client', 'services'])('400 naming the missing field %s', async (field) => {
    const s = await start();
    const body = observation();
    delete body[field];
    const res = await postObservation(s.url, body);
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid_observation', message: `${field}: required` });
  });

  it('400 for a body that is not JSON, or not an object', async () => {
    const s = await start();
    expect((await postObservation(s.url, '{"client": ')).json()).toEqual({
      error: 'invalid_json',
      message: 'body: not valid JSON',
    });
    for (const body of ['[]', 'null', '42']) {
      const res = await postObservation(s.url, body);
      expect(res.status).toBe(400);
      expect(res.json()).toEqual({ error: 'invalid_observation', message: 'body: must be a JSON object' });
    }
  });

  it('415 when the body is not declared JSON', async () => {
    const s = await start();
    for (const headers of [{ 'content-type': 'text/plain' }, {}] as Record<string, string>[]) {
      const res = await http(`${s.url}/v1/observations`, {
        method: 'POST',
        headers,
        body: JSON.stringify(observation()),
      });
      expect(res.status).toBe(415);
      expect((res.json() as { error: string }).error).toBe('unsupported_media_type');
    }
  });

  it(`413 over ${OBSERVATION_MAX_BYTES} bytes, declared or streamed; exactly at the limit is taken`, async () => {
    const s = await start();
    const big = JSON.stringify({ ...observation(), padding: 'x'.repeat(OBSERVATION_MAX_BYTES) });
    const declared = await postObservation(s.url, big);
    expect(declared.status).toBe(413);
    expect(declared.json()).toEqual({
      error: 'too_large',
      message: `body: at most ${OBSERVATION_MAX_BYTES} bytes`,
    });
    const streamed = await http(`${s.url}/v1/observations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: big,
      chunked: true,
    });
    expect(streamed.status).toBe(413);
    const base = JSON.stringify(observation());
    const edge = `${base.slice(0, -1)},"pad":"${'y'.repeat(OBSERVATION_MAX_BYTES - base.length - 9)}"}`;
    expect(Buffer.byteLength(edge)).toBe(OBSERVATION_MAX_BYTES);
    expect((await postObservation(s.url, edge)).status).toBe(202);
  });

  it('405 for other methods, with the CORS preflight allowed for extensions only', async () => {
    const s = await start();
    const get = await http(`${s.url}/v1/observations`);
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST, OPTIONS');
    const preflight = await http(`${s.url}/v1/observations`, {
      method: 'OPTIONS',
      headers: { origin: EXTENSION, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(EXTENSION);
    expect(preflight.headers['access-control-allow-headers']).toContain('content-type');
  });

  it.each(['https://example.org', 'null', 'chrome-extension://abc/path', 'file://'])(
    'refuses Origin %j with 403 forbidden-origin before reading the body, its preflight too; nothing counted',
    async (origin) => {
      const s = await start();
      const res = await postObservation(s.url, observation(), { origin });
      expect(res.status).toBe(403);
      expect(res.json()).toEqual({
        error: 'forbidden-origin',
        message: 'origin: observations are taken from browser extensions only, not from web pages',
      });
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect((await postObservation(s.url, 'x'.repeat(5000), { origin })).status).toBe(403);
      const preflight = await http(`${s.url}/v1/observations`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
      expect(preflight.status).toBe(403);
      expect(s.stats).toMatchObject({ observationsCounted: 0, forbiddenOrigin: 2 });
      expect((await feedOf(s)).services).toEqual({});
    },
  );

  it('429 with Retry-After per address, in buckets of their own: reports keep theirs', async () => {
    const s = await start({ ipPerMinute: 2 });
    for (let i = 0; i < 2; i++) {
      expect((await postObservation(s.url, observation({ client: clientId(i) }))).status).toBe(202);
    }
    const limited = await postObservation(s.url, observation({ client: clientId(9) }));
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('30');
    expect(limited.json()).toEqual({
      error: 'rate_limited',
      message: 'too many observations from this address; retry in 30 s',
    });
    // The same address still reports: its report bucket is full.
    expect((await postReport(s.url, report())).status).toBe(202);
    expect((await postReport(s.url, report({ client: clientId('r2') }))).status).toBe(202);
    expect((await postReport(s.url, report({ client: clientId('r3') }))).status).toBe(429);
  });

  it('429 per network (behind a trusted proxy) and per client id', async () => {
    const s = await start({ netPerMinute: 2, clientPerMinute: 1, trustProxy: parseTrustProxy('1') });
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    const post = async (client: string, ip: string) =>
      (await postObservation(s.url, observation({ client: clientId(client) }), from(ip))).status;
    expect(await post('a', '203.0.113.5')).toBe(202);
    expect(await post('b', '203.0.113.6')).toBe(202);
    const byNetwork = await postObservation(
      s.url,
      observation({ client: clientId('c') }),
      from('203.0.113.7'),
    );
    expect(byNetwork.status).toBe(429);
    expect((byNetwork.json() as { message: string }).message).toMatch(/observations from this network/);
    const byClient = await postObservation(
      s.url,
      observation({ client: clientId('a') }),
      from('198.51.100.1'),
    );
    expect(byClient.status).toBe(429);
    expect((byClient.json() as { message: string }).message).toMatch(/observations from this client/);
  });

  it('503 with Retry-After when the store fails, nothing counted; reports still go through', async () => {
    const real = await openSqliteStorage(join(tempDir(), 'feed.sqlite'));
    stores.push(real);
    const failing: FeedStorage = { ...real, addObservations: () => Promise.reject(new Error('disk gone')) };
    const s = await start({ storage: failing });
    const res = await postObservation(s.url, observation());
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toEqual({
      error: 'unavailable',
      message: 'storage: the observation could not be stored; retry later',
    });
    expect(s.stats).toMatchObject({ observationsCounted: 0, failed: 1 });
    expect((await postReport(s.url, report())).status).toBe(202);
  });

  it('stores neither the address nor the client id', async () => {
    const db = join(tempDir(), 'feed.sqlite');
    const s = await start({ db, trustProxy: parseTrustProxy('1') });
    const secret = 'VerySecretObserver_1234';
    const res = await postObservation(s.url, observation({ client: secret }), {
      'x-forwarded-for': '198.51.100.77',
    });
    expect(res.status).toBe(202);
    await s.close();
    servers.splice(0);
    const bytes = readFileSync(db);
    for (const needle of [secret, '198.51.100.77', '198.51.100.0']) {
      expect(bytes.includes(Buffer.from(needle))).toBe(false);
    }
  });
});

describe('the feed with observations', () => {
  it('carries probes per observed service, an observed-only service at level normal, and the hints', async () => {
    const s = await start({ trustProxy: parseTrustProxy('1'), observeSpreadSeconds: 90 });
    const post = (n: number, services: Record<string, string>, country = 'IT') =>
      postObservation(s.url, observation({ client: clientId(n), country, services }), {
        'x-forwarded-for': `203.0.${n}.1`,
      });
    for (let n = 0; n < 4; n++) await post(n, { signal: 'down' });
    for (let n = 4; n < 8; n++) await post(n, { signal: 'up' }, 'FR');
    await postReport(s.url, report());
    const feed = await feedOf(s);
    expect(feed.observe).toEqual({ sample: 1, spreadSeconds: 90 });
    expect(feed.services.signal).toMatchObject({ level: 'normal', recent: 0 });
    expect(feed.services.signal?.probes).toEqual({
      down: 4,
      up: 4,
      countries: { FR: [0, 4], IT: [4, 0] },
      scope: 'country',
      scopeCountry: 'IT',
    });
    // A reported service that no browser observed has no probes.
    expect(feed.services.whatsapp?.recent).toBe(1);
    expect(feed.services.whatsapp?.probes).toBeUndefined();
  });

  it('keeps its ETag while nothing changes, and changes it when an observation counts', async () => {
    const s = await start();
    await postObservation(s.url, observation());
    const first = await http(`${s.url}/v1/feed`);
    const again = await http(`${s.url}/v1/feed`, { headers: { 'if-none-match': first.headers.etag ?? '' } });
    expect(again.status).toBe(304);
    await postObservation(s.url, observation({ client: clientId('second'), services: { whatsapp: 'up' } }));
    const changed = await http(`${s.url}/v1/feed`, {
      headers: { 'if-none-match': first.headers.etag ?? '' },
    });
    expect(changed.status).toBe(200);
  });
});

describe('the observe flags', () => {
  it.each<[string[], NodeJS.ProcessEnv, number | undefined, number | undefined]>([
    [[], {}, undefined, undefined],
    [['--observe-target', '1200'], {}, 1200, undefined],
    [[], { FEED_OBSERVE_TARGET: '900', FEED_OBSERVE_SPREAD: '120' }, 900, 120],
    [['--observe-target', '50', '--observe-spread', '0'], { FEED_OBSERVE_TARGET: '900' }, 50, 0],
  ])('%j with %j: target %s, spread %s (flags win over the environment)', (argv, env, target, spread) => {
    const config = parseConfig(argv, env);
    expect(config.observeTarget).toBe(target);
    expect(config.observeSpreadSeconds).toBe(spread);
  });

  it('defaults to 6000 observations a minute, spread over 60 s', () => {
    expect(DEFAULTS).toMatchObject({ observeTarget: 6000, observeSpreadSeconds: 60 });
  });

  it.each([[['--observe-target', '0']], [['--observe-target', 'lots']], [['--observe-spread', '3601']]])(
    'refuses %j',
    (argv) => {
      expect(() => parseConfig(argv, {})).toThrow(/must be an integer/);
    },
  );
});

// The five services added with issue 14 are counted like the others; apps the user added (`custom-…`)
// never reach the feed, and the server refuses them if a client sends them anyway.
const ADDED = ['viber', 'line', 'imo', 'zoom', 'meet'] as const;

describe('the services the feed counts', () => {
  it('are the thirteen catalog services', () => {
    expect(SERVICE_IDS).toHaveLength(13);
    expect(SERVICE_IDS).toEqual(expect.arrayContaining([...ADDED]));
  });

  it.each(ADDED)('counts a report about %s and shows it in the feed', async (service) => {
    const s = await start();
    const res = await postReport(s.url, report({ service, problem: 'calls' }), { origin: EXTENSION });
    expect(res.status).toBe(202);
    expect(res.json()).toEqual({ counted: true });
    const feed = await feedOf(s);
    expect(feed.services[service]).toMatchObject({ recent: 1, problems: { calls: 1 } });
  });

  it('counts one observation naming all five new services, per service', async () => {
    const s = await start();
    const services = Object.fromEntries(ADDED.map((id) => [id, 'down']));
    const res = await postObservation(s.url, { client: clientId('watcher'), country: 'IT', services });
    expect(res.json()).toEqual({ counted: true });
    const feed = await feedOf(s);
    for (const id of ADDED) expect(feed.services[id]?.probes, id).toMatchObject({ down: 1, up: 0 });
  });

  it.each(['custom-my-bank', 'custom-', 'skype'])('refuses a report about %s', async (service) => {
    const s = await start();
    const res = await postReport(s.url, report({ client: clientId(2), service }));
    expect(res.status).toBe(400);
  });

  it('refuses an observation that names an app the user added', async () => {
    const s = await start();
    const services = { whatsapp: 'down', 'custom-my-bank': 'down' };
    const res = await postObservation(s.url, { client: clientId('watcher'), services });
    expect(res.status).toBe(400);
    expect(s.stats).toMatchObject({ observationsCounted: 0 });
  });
});
