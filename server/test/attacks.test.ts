// Black-box attacks on the running feed server, started the way `npm run feed` starts it, each shown to
// fail while legitimate reports still count. Senders use real source addresses (black-box.ts): 127.0.0.x
// are addresses of one /24 network and 127.N.0.1 are N distinct networks. A small reverse proxy that appends the address it saw to X-Forwarded-For
// stands in for nginx's $proxy_add_x_forwarded_for, Cloudflare or a cloud load balancer.

import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ALGORITHM } from '../core/baseline';
import { EXTENSION, feedProcesses, randomClient, tally } from './black-box';
import { type FeedProcess, http, type RawResponse, removeTempDirs, report } from './helpers';

const { feed, stopAll } = feedProcesses();
const proxies: Server[] = [];
afterEach(async () => {
  await stopAll();
  for (const proxy of proxies.splice(0)) await new Promise((resolve) => proxy.close(resolve));
});
afterAll(removeTempDirs);

/** An appending reverse proxy in front of `target`, as nginx with $proxy_add_x_forwarded_for. */
async function appendingProxy(target: FeedProcess): Promise<string> {
  const proxy = createServer((req, res) => {
    const seen = req.socket.remoteAddress ?? '';
    const prior = req.headers['x-forwarded-for'];
    const forwarded = prior ? `${prior}, ${seen}` : seen;
    const upstream = request(
      `${target.url}${req.url}`,
      { method: req.method, headers: { ...req.headers, 'x-forwarded-for': forwarded }, agent: false },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  proxies.push(proxy);
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

interface Send {
  readonly from: string;
  readonly headers?: Record<string, string>;
  readonly service?: string;
}

function post(base: string, send: Send): Promise<RawResponse> {
  return http(`${base}/v1/reports`, {
    method: 'POST',
    localAddress: send.from,
    headers: { 'content-type': 'application/json', origin: EXTENSION, ...send.headers },
    body: JSON.stringify(report({ client: randomClient(), service: send.service ?? 'whatsapp' })),
  });
}

/** Sends all at once, answers tallied: "202 counted", "429 rate_limited", "403 forbidden-origin"… */
async function flood(base: string, sends: readonly Send[]): Promise<Record<string, number>> {
  return tally(await Promise.all(sends.map((s) => post(base, s))));
}

interface ServiceView {
  level: string;
  recent: number;
}
async function whatsapp(p: FeedProcess): Promise<ServiceView> {
  const doc = (await http(`${p.url}/v1/feed`)).json() as { services: { whatsapp?: ServiceView } };
  const { level, recent } = doc.services.whatsapp ?? { level: 'normal', recent: 0 };
  return { level, recent };
}

/** `networks` networks (127.N.0.1), `perNetwork` people each (127.N.0.1 … 127.N.0.k). */
const people = (networks: number, perNetwork: number, headers?: Record<string, string>): Send[] =>
  Array.from({ length: networks * perNetwork }, (_, i) => ({
    from: `127.${1 + Math.floor(i / perNetwork)}.0.${1 + (i % perNetwork)}`,
    headers,
  }));

/** What 40 networks of three people each must show, whatever else happened. */
async function expectCrowdCounts(
  p: FeedProcess,
  base: string,
  before: number,
  headers?: Record<string, string>,
) {
  expect(await flood(base, people(40, 3, headers))).toEqual({ '202 counted': 120 });
  const after = await whatsapp(p);
  expect(after.recent).toBe(before + 120);
  // On a fresh server 120 reports from 40 networks in one bucket are at least a strong, unconfirmed
  // signal (the outage threshold is 60); early in a bucket, projected, they pass the surge bar.
  expect(['elevated', 'outage']).toContain(after.level);
}

describe('one network cannot make an outage', () => {
  it('one address with made-up ids: rate-limited, at most the network cap counted, the level stays normal', async () => {
    const p = await feed();
    const tally = await flood(
      p.url,
      Array.from({ length: 300 }, () => ({ from: '127.0.0.9' })),
    );
    // The per-address limit (30 a minute) stops most of it …
    expect(tally['202 counted']).toBe(30);
    expect(tally['429 rate_limited']).toBe(270);
    // … and of what got through, the network adds only its cap.
    const view = await whatsapp(p);
    expect(view).toEqual({ level: 'normal', recent: ALGORITHM.networkCap });
    await expectCrowdCounts(p, p.url, view.recent);
  });

  it('every address of a /24 with made-up ids and no rate limits: still one network, still normal', async () => {
    const p = await feed('--ip-limit', '0', '--net-limit', '0', '--client-limit', '0');
    const sends = Array.from({ length: 500 }, (_, i) => ({ from: `127.0.0.${2 + (i % 250)}` }));
    expect(await flood(p.url, sends)).toEqual({ '202 counted': 500 });
    const view = await whatsapp(p);
    expect(view).toEqual({ level: 'normal', recent: ALGORITHM.networkCap });
    await expectCrowdCounts(p, p.url, view.recent);
  });

  it('the addresses of a /24 share one network limit', async () => {
    const p = await feed();
    const sends = Array.from({ length: 200 }, (_, i) => ({ from: `127.0.0.${2 + (i % 200)}` }));
    // 200 addresses, one report each: within every per-address limit, but the /24 gets 120 a minute.
    expect(await flood(p.url, sends)).toEqual({ '202 counted': 120, '429 rate_limited': 80 });
  });
});

describe('spoofed X-Forwarded-For', () => {
  const spoofed = (i: number): Record<string, string> => ({
    'x-forwarded-for': `203.0.${i % 250}.${1 + (i % 200)}`,
  });

  it.each([
    ['a list of proxies', '127.0.0.1'],
    ['a hop count', '1'],
  ])(
    'behind an appending proxy (trusted as %s), the address the proxy saw counts, not the one the client wrote',
    async (_, trust) => {
      const p = await feed('--trust-proxy', trust);
      const proxy = await appendingProxy(p);
      // One sender claims 300 addresses in 300 networks; the proxy appends its real one.
      const attack = Array.from({ length: 300 }, (_, i) => ({ from: '127.0.0.9', headers: spoofed(i) }));
      const tally = await flood(proxy, attack);
      expect(tally['202 counted']).toBe(30);
      const view = await whatsapp(p);
      expect(view).toEqual({ level: 'normal', recent: ALGORITHM.networkCap });
      // People behind the same proxy, from 40 networks, each with a spoofed entry of its own: counted.
      await expectCrowdCounts(p, proxy, view.recent, spoofed(7));
    },
  );

  it('sent straight to a server that trusts only its proxy: the header is ignored', async () => {
    const p = await feed('--trust-proxy', '127.0.0.1');
    const attack = Array.from({ length: 300 }, (_, i) => ({ from: '127.0.0.9', headers: spoofed(i) }));
    expect((await flood(p.url, attack))['202 counted']).toBe(30);
    expect(await whatsapp(p)).toEqual({ level: 'normal', recent: ALGORITHM.networkCap });
  });
});

describe('web pages cannot post', () => {
  it('a page’s Origin is refused with 403 forbidden-origin, its preflight too, and nothing is counted', async () => {
    const p = await feed();
    const page = { origin: 'https://ads.example' };
    expect(await flood(p.url, people(40, 3, page))).toEqual({ '403 forbidden-origin': 120 });
    const preflight = await http(`${p.url}/v1/reports`, {
      method: 'OPTIONS',
      headers: {
        ...page,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(await whatsapp(p)).toEqual({ level: 'normal', recent: 0 });
    // The feed stays readable from any page.
    const read = await http(`${p.url}/v1/feed`, { headers: page });
    expect(read.headers['access-control-allow-origin']).toBe('*');
    // Extensions, and scripts without an Origin, still report.
    await expectCrowdCounts(p, p.url, 0);
    const script = await http(`${p.url}/v1/reports`, {
      method: 'POST',
      localAddress: '127.200.0.1',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(report({ client: randomClient() })),
    });
    expect(script.json()).toEqual({ counted: true });
  });
});
