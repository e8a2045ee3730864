// The feed takes every catalog service, the five added with issue 14 included, and nothing else: apps
// the user added (`custom-…`) never reach it, and the server refuses them if a client sends them anyway.

import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SERVICE_IDS } from '../../src/core/services';
import { readFeed } from '../../src/shared/feed';
import type { RunningServer } from '../server';
import {
  clientId,
  fakeClock,
  http,
  postObservation,
  postReport,
  removeTempDirs,
  report,
  T0,
  testServer,
} from './helpers';

const servers: RunningServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});
afterAll(removeTempDirs);

const ADDED = ['viber', 'line', 'imo', 'zoom', 'meet'] as const;

async function start(): Promise<RunningServer> {
  const clock = fakeClock(T0 + 60_000);
  const s = await testServer({
    ipPerMinute: 0,
    netPerMinute: 0,
    clientPerMinute: 0,
    feedRefreshMs: 0,
    now: clock.now,
  });
  servers.push(s);
  return s;
}

async function feedOf(s: RunningServer) {
  const read = readFeed((await http(`${s.url}/v1/feed`)).json());
  if ('error' in read) throw new Error(read.error);
  return read.feed;
}

describe('the services the feed counts', () => {
  it('are the thirteen catalog services', () => {
    expect(SERVICE_IDS).toHaveLength(13);
    expect(SERVICE_IDS).toEqual(expect.arrayContaining([...ADDED]));
  });

  it.each(ADDED)('counts a report about %s and shows it in the feed', async (service) => {
    const s = await start();
    const res = await postReport(s.url, report({ service, problem: 'calls' }));
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
