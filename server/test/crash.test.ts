// The crash test: a report answered `202 {"counted": true}` is durably stored. The server is killed
// with SIGKILL (no drain, no handler) while 32 keep-alive clients post as fast as it answers; after a
// restart on the same database every acknowledged report must be there. Three rounds on one database.

import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import {
  type FeedProcess,
  hashClient,
  http,
  removeTempDirs,
  spawnFeed,
  storedClients,
  tempDir,
} from './helpers';
import { startLoad, TRUST_LOOPBACK } from './load';

const ROUNDS = 3;
const CLIENTS = 32;
const KILL_AFTER_MS = 1500;

const running: FeedProcess[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) {
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await p.exited;
  }
});
afterAll(removeTempDirs);

async function start(db: string): Promise<FeedProcess> {
  const p = await spawnFeed([
    ...['--port', '0', '--host', '127.0.0.1', '--db', db],
    ...['--ip-limit', '0', '--net-limit', '0', '--client-limit', '0', '--feed-refresh-ms', '0'],
    ...TRUST_LOOPBACK,
  ]);
  running.push(p);
  return p;
}

/** The whatsapp reports in the feed's 24 h series. */
async function feedTotal(p: FeedProcess): Promise<number> {
  const doc = (await http(`${p.url}/v1/feed`)).json() as {
    services: { whatsapp?: { series: { reports: number }[] } };
  };
  return (doc.services.whatsapp?.series ?? []).reduce((n, point) => n + point.reports, 0);
}

it(`keeps every acknowledged report through ${ROUNDS} SIGKILLs under load`, async () => {
  const db = join(tempDir(), 'feed.sqlite');
  const acked = new Set<string>();
  let server = await start(db);
  for (let round = 1; round <= ROUNDS; round++) {
    const load = startLoad(server.url, { clients: CLIENTS, prefix: `r${round}` });
    await new Promise((resolve) => setTimeout(resolve, KILL_AFTER_MS));
    // Posts are in flight: some are parsed, some wait in the batcher, some are mid-commit.
    server.child.kill('SIGKILL');
    expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const result = await load.stop();
    for (const id of result.acked) acked.add(id);

    server = await start(db); // recovers the WAL
    const stored = storedClients(db);
    const missing = [...acked].filter((id) => !stored.hashes.has(hashClient(stored.key, id)));
    const total = await feedTotal(server);
    console.log(
      `crash round ${round}: ${result.sent} sent, ${result.acked.length} acknowledged this round,` +
        ` ${acked.size} acknowledged in all, ${stored.rows} stored, feed total ${total}, missing ${missing.length};`,
      Object.fromEntries(result.errors),
    );
    expect(result.acked.length).toBeGreaterThan(100);
    expect(missing).toEqual([]);
    // Stored but never acknowledged is fine (committed, then killed before the answer went out).
    expect(stored.rows).toBeGreaterThanOrEqual(acked.size);
    expect(stored.bucketSum).toBe(stored.rows);
    expect(total).toBeGreaterThanOrEqual(acked.size);
  }
  server.child.kill('SIGTERM');
  expect(await server.exited).toEqual({ code: 0, signal: null });
});
