// Faults with two feed server processes on one PostgreSQL database under report load (32 keep-alive
// clients): SIGKILL of one instance, and PostgreSQL itself crashing (immediate stop) and coming back.
// Whatever happens, a report answered `202 {"counted": true}` is in the database afterwards.

import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { type FeedProcess, http, postReport, report } from './helpers';
import { startLoad, sum, TRUST_LOOPBACK } from './load';
import { type PgCluster, startPgCluster } from './pg-cluster';
import { feedOnPostgres, healthy, killAll, missingFrom, storedOnPostgres, waitFor } from './pg-instances';

const CLIENTS_PER_INSTANCE = 16;
const NO_LIMITS = [
  ...['--ip-limit', '0', '--net-limit', '0', '--client-limit', '0', '--feed-refresh-ms', '500'],
  ...TRUST_LOOPBACK,
];

let cluster: PgCluster;
const running: FeedProcess[] = [];
beforeAll(async () => {
  // fsync on: these tests are about durability.
  cluster = await startPgCluster({ fsync: true });
});
afterEach(() => killAll(running));
afterAll(() => cluster?.destroy());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function twoInstances(): Promise<{ url: string; a: FeedProcess; b: FeedProcess }> {
  const url = await cluster.createDatabase();
  const [a, b] = await Promise.all([
    feedOnPostgres(url, running, NO_LIMITS),
    feedOnPostgres(url, running, NO_LIMITS),
  ]);
  return { url, a, b };
}

it('keeps every acknowledged report when one instance is SIGKILLed under load, and the other keeps serving', async () => {
  const { url, a, b } = await twoInstances();
  const loadA = startLoad(a.url, { clients: CLIENTS_PER_INSTANCE, prefix: 'kill-a' });
  const loadB = startLoad(b.url, { clients: CLIENTS_PER_INSTANCE, prefix: 'kill-b' });
  await sleep(1500);
  a.child.kill('SIGKILL');
  expect(await a.exited).toEqual({ code: null, signal: 'SIGKILL' });
  const bAtKill = loadB.result.acked.length;
  await sleep(1000);
  const [ra, rb] = await Promise.all([loadA.stop(), loadB.stop()]);
  const afterKill = rb.acked.length - bAtKill;

  const stored = await storedOnPostgres(cluster, url);
  const acked = [...ra.acked, ...rb.acked];
  const missing = missingFrom(stored, acked);
  console.log(
    `SIGKILL one of two: A ${ra.acked.length} acknowledged of ${ra.sent} sent (errors ${JSON.stringify(Object.fromEntries(ra.errors))}),` +
      ` B ${rb.acked.length} acknowledged (${afterKill} after the kill); ${stored.rows} stored, missing ${missing.length}`,
  );
  expect(ra.acked.length).toBeGreaterThan(100);
  expect(afterKill).toBeGreaterThan(100);
  expect(sum(rb.errors)).toBe(0);
  expect(missing).toEqual([]);
  expect(stored.rows).toBeGreaterThanOrEqual(acked.length);
  expect(stored.bucketSum).toBe(stored.rows);
  // The survivor still answers everything.
  expect((await http(`${b.url}/healthz`)).status).toBe(200);
  expect((await http(`${b.url}/v1/feed`)).status).toBe(200);
});

it('answers 503 with Retry-After while PostgreSQL is down, recovers by itself, and loses nothing acknowledged', async () => {
  const { url, a, b } = await twoInstances();
  // A feed document is cached before the outage: readers keep getting it while the database is away.
  for (const p of [a, b]) expect((await http(`${p.url}/v1/feed`)).status).toBe(200);
  const loadA = startLoad(a.url, { clients: CLIENTS_PER_INSTANCE, prefix: 'pg-a' });
  const loadB = startLoad(b.url, { clients: CLIENTS_PER_INSTANCE, prefix: 'pg-b' });
  await sleep(1000);

  // A crash, not a clean shutdown: connections vanish mid-transaction, recovery replays the WAL.
  cluster.stop('immediate');
  const downAt = Date.now();
  await sleep(300);
  for (const p of [a, b]) {
    const res = await postReport(p.url, report({ client: 'during-the-outage-1' }));
    expect(res.status).toBe(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.json()).toMatchObject({ error: 'unavailable' });
    const health = await http(`${p.url}/healthz`);
    expect(health.status).toBe(503);
    expect(Number(health.headers['retry-after'])).toBeGreaterThan(0);
    expect((await http(`${p.url}/v1/feed`)).status).toBe(200);
  }
  const ackedWhileDown = loadA.result.acked.length + loadB.result.acked.length;
  await sleep(1000);
  expect(loadA.result.acked.length + loadB.result.acked.length).toBe(ackedWhileDown);

  cluster.start();
  const downMs = Date.now() - downAt;
  const recoveredMs = Math.max(
    ...(await Promise.all(
      [a, b].map((p, i) =>
        waitFor(`instance ${i} accepts reports again`, async () => {
          const res = await postReport(p.url, report({ client: `after-the-outage-${i}` }));
          return res.status === 202 && (await healthy(p));
        }),
      ),
    )),
  );
  const ackedAtRecovery = loadA.result.acked.length + loadB.result.acked.length;
  await sleep(1000);
  const [ra, rb] = await Promise.all([loadA.stop(), loadB.stop()]);

  const stored = await storedOnPostgres(cluster, url);
  const acked = [...ra.acked, ...rb.acked];
  const missing = missingFrom(stored, acked);
  const unavailable = (ra.answers.get('503 unavailable') ?? 0) + (rb.answers.get('503 unavailable') ?? 0);
  console.log(
    `PostgreSQL crash and restart: down ${downMs} ms, both instances back ${recoveredMs} ms after the start;` +
      ` ${acked.length} acknowledged (${ackedWhileDown} before the crash, ${acked.length - ackedAtRecovery} after recovery),` +
      ` ${unavailable} answered 503, ${stored.rows} stored, missing ${missing.length}`,
  );
  for (const p of [a, b]) expect(p.child.exitCode).toBeNull();
  expect(unavailable).toBeGreaterThan(0);
  expect(acked.length - ackedAtRecovery).toBeGreaterThan(100);
  expect(missing).toEqual([]);
  expect(stored.rows).toBeGreaterThanOrEqual(acked.length);
  expect(stored.bucketSum).toBe(stored.rows);
});
