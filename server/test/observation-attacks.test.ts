// Black-box attacks on observations against the running feed server (`npm run feed`), with real source
// addresses (black-box.ts): one network, whatever ids, addresses and rates it uses, is one network and
// never makes a service look down for everyone or for a country; crowds of networks do.

import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { readFeed, type ServiceProbes } from '../../src/shared/feed';
import { ALGORITHM } from '../core/baseline';
import { EXTENSION, feedProcesses, randomClient, tally } from './black-box';
import { type FeedProcess, http, type RawResponse, removeTempDirs } from './helpers';

const { feed, stopAll } = feedProcesses();
afterEach(stopAll);
afterAll(removeTempDirs);

const NO_LIMITS = ['--ip-limit', '0', '--net-limit', '0', '--client-limit', '0'];
const COUNTRIES = ['IT', 'FR', 'DE', 'ES', 'US'];

interface Sighting {
  readonly from: string;
  readonly state?: 'down' | 'up';
  readonly country?: string;
  readonly client?: string;
  readonly headers?: Record<string, string>;
}

function observe(base: string, s: Sighting): Promise<RawResponse> {
  return http(`${base}/v1/observations`, {
    method: 'POST',
    localAddress: s.from,
    headers: { 'content-type': 'application/json', origin: EXTENSION, ...s.headers },
    body: JSON.stringify({
      client: s.client ?? randomClient(),
      country: s.country ?? 'IT',
      services: { whatsapp: s.state ?? 'down' },
    }),
  });
}

/** Sends all at once; answers tallied. */
async function flood(base: string, sightings: readonly Sighting[]): Promise<Record<string, number>> {
  return tally(await Promise.all(sightings.map((s) => observe(base, s))));
}

async function whatsapp(p: FeedProcess): Promise<ServiceProbes | undefined> {
  const read = readFeed((await http(`${p.url}/v1/feed`)).json());
  if ('error' in read) throw new Error(read.error);
  return read.feed.services.whatsapp?.probes;
}

/** Networks 127.N.0.1 for N in [first, first + count), each one browser. */
const networks = (first: number, count: number, sighting: Omit<Sighting, 'from'> = {}): Sighting[] =>
  Array.from({ length: count }, (_, i) => ({ from: `127.${first + i}.0.1`, ...sighting }));

/** The griefer: every address of 127.0.0.0/24, made-up ids, all "down", any country. */
const griefer = (n: number): Sighting[] =>
  Array.from({ length: n }, (_, i) => ({ from: `127.0.0.${2 + (i % 250)}`, country: COUNTRIES[i % 5] }));

describe('one network can never say "everyone" or "country"', () => {
  it('every address of a /24 with made-up ids, any countries and no rate limits: one network down, no scope', async () => {
    const p = await feed(...NO_LIMITS);
    const answers = await flood(p.url, griefer(500));
    // All taken; only the network's first clients (up to the cap) are kept.
    expect(answers['202 counted']).toBe(ALGORITHM.observeClientsPerNetwork);
    expect(answers['202 not counted']).toBe(500 - ALGORITHM.observeClientsPerNetwork);
    // Again and again with new ids, flipping states: its places are taken, and it is one network anyway.
    for (const state of ['up', 'down', 'up'] as const) {
      expect(
        await flood(
          p.url,
          griefer(100).map((s) => ({ ...s, state })),
        ),
      ).toEqual({ '202 not counted': 100 });
    }
    const probes = await whatsapp(p);
    expect(probes?.down).toBe(1);
    expect(probes?.up).toBe(0);
    expect(probes?.scope).toBeUndefined();
    // Next to ten networks that reach WhatsApp, the griefer is one of eleven: the service works.
    await flood(p.url, networks(1, 10, { state: 'up' }));
    expect(await whatsapp(p)).toMatchObject({ down: 1, up: 10, scope: 'none' });
  });

  it('with the default limits, one address flooding: rate-limited, one network, no scope', async () => {
    const p = await feed();
    const answers = await flood(
      p.url,
      Array.from({ length: 300 }, () => ({ from: '127.0.0.9' })),
    );
    expect(answers['429 rate_limited']).toBe(270);
    expect((answers['202 counted'] ?? 0) + (answers['202 not counted'] ?? 0)).toBe(30);
    const probes = await whatsapp(p);
    expect(probes).toMatchObject({ down: 1, up: 0 });
    expect(probes?.scope).toBeUndefined();
  });

  it('a forged X-Forwarded-For is ignored without a trusted proxy, and when not sent by the trusted one', async () => {
    for (const trust of [[], ['--trust-proxy', '127.0.0.1']]) {
      const p = await feed(...NO_LIMITS, ...trust);
      // One sender claims 60 addresses in 60 networks in four countries.
      const forged = Array.from({ length: 60 }, (_, i) => ({
        from: '127.0.0.9',
        country: COUNTRIES[i % 4],
        headers: { 'x-forwarded-for': `203.0.${i}.7` },
      }));
      expect((await flood(p.url, forged))['202 counted']).toBe(ALGORITHM.observeClientsPerNetwork);
      const probes = await whatsapp(p);
      expect(probes).toMatchObject({ down: 1, up: 0 });
      expect(probes?.scope).toBeUndefined();
    }
  });
});

describe('crowds of networks are read', () => {
  it('40 networks in 4 countries that can’t reach WhatsApp: down for everyone', async () => {
    const p = await feed();
    const crowd = networks(1, 40).map((s, i) => ({ ...s, country: COUNTRIES[i % 4] }));
    expect(await flood(p.url, crowd)).toEqual({ '202 counted': 40 });
    expect(await whatsapp(p)).toEqual({
      down: 40,
      up: 0,
      countries: { DE: [10, 0], ES: [10, 0], FR: [10, 0], IT: [10, 0] },
      scope: 'everyone',
    });
  });

  it('10 networks in Italy down, 10 elsewhere up: down in Italy', async () => {
    const p = await feed();
    const italy = networks(1, 10, { country: 'IT' });
    const elsewhere = networks(11, 10, { state: 'up' }).map((s, i) => ({
      ...s,
      country: i % 2 ? 'FR' : 'DE',
    }));
    expect(await flood(p.url, [...italy, ...elsewhere])).toEqual({ '202 counted': 20 });
    expect(await whatsapp(p)).toEqual({
      down: 10,
      up: 10,
      countries: { IT: [10, 0], DE: [0, 5], FR: [0, 5] },
      scope: 'country',
      scopeCountry: 'IT',
    });
  });
});

describe('web pages and floods', () => {
  it('a web page’s Origin gets 403 and nothing counts; extensions still count', async () => {
    const p = await feed();
    const page = { origin: 'https://ads.example' };
    expect(await flood(p.url, networks(1, 40, { headers: page }))).toEqual({ '403 forbidden-origin': 40 });
    expect(await whatsapp(p)).toBeUndefined();
    expect(await flood(p.url, networks(1, 3))).toEqual({ '202 counted': 3 });
    expect(await whatsapp(p)).toMatchObject({ down: 3, scope: 'everyone' });
  });

  it('rate limits answer 429 with Retry-After: per network across its addresses, and per client id', async () => {
    const p = await feed();
    const sends = Array.from({ length: 200 }, (_, i) => ({ from: `127.0.0.${2 + i}` }));
    const answers = await Promise.all(sends.map((s) => observe(p.url, s)));
    const limited = answers.filter((a) => a.status === 429);
    expect(limited).toHaveLength(80);
    expect(Number(limited[0]?.headers['retry-after'])).toBeGreaterThan(0);
    // One client id from twelve networks: its own limit (10 a minute).
    const client = randomClient();
    expect(await flood(p.url, networks(1, 12, { client }))).toMatchObject({ '429 rate_limited': 2 });
  });
});
