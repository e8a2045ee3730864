// The feed server as `npm run feed` runs it: a real process, stopped with SIGTERM, restarted on the same
// database, given bad command lines.

import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../storage/sqlite';
import { RAW_RETENTION_MS } from '../storage/types';
import {
  clientId,
  type FeedProcess,
  hashClient,
  http,
  postReport,
  ROOT,
  removeTempDirs,
  report,
  spawnFeed,
  storedClients,
  tempDir,
  testServer,
} from './helpers';
import { startLoad, sum, TRUST_LOOPBACK } from './load';

const EXTENSION = 'moz-extension://0c7bd1a4-3b8e-4a36-9b43-7d1fe1a2c3d4';

const running: FeedProcess[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) {
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await p.exited;
  }
});
afterAll(removeTempDirs);

type LogLine = { event: string; [field: string]: unknown };

async function feed(db: string, extra: string[] = []): Promise<FeedProcess> {
  const args = ['--port', '0', '--host', '127.0.0.1', '--db', db, '--ip-limit', '0', '--client-limit', '0'];
  args.push('--net-limit', '0', ...TRUST_LOOPBACK);
  const p = await spawnFeed([...args, '--feed-refresh-ms', '0', ...extra]);
  running.push(p);
  return p;
}

function events(p: FeedProcess): LogLine[] {
  return p.lines.map((line) => JSON.parse(line) as LogLine);
}

async function waitForEvent(p: FeedProcess, event: string, timeoutMs = 5000): Promise<LogLine> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = events(p).find((e) => e.event === event);
    if (found) return found;
    if (Date.now() > deadline)
      throw new Error(`no "${event}" line in ${timeoutMs} ms: ${p.lines.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function stop(p: FeedProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  p.child.kill('SIGTERM');
  return p.exited;
}

/** The reports of a service in the feed's 24 h series. */
async function feedTotal(p: FeedProcess, service = 'whatsapp'): Promise<number> {
  const doc = (await http(`${p.url}/v1/feed`)).json() as {
    services: Record<string, { series: { reports: number }[] } | undefined>;
  };
  return (doc.services[service]?.series ?? []).reduce((n, point) => n + point.reports, 0);
}

describe('feed server process', () => {
  it('answers /healthz 200 once listening', async () => {
    const p = await feed(join(tempDir(), 'feed.sqlite'));
    const res = await http(`${p.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    expect(events(p).find((e) => e.event === 'listening')).toMatchObject({ storage: 'sqlite' });
  });

  it('on SIGTERM under load stores every acknowledged report, logs stopping and stopped, exits 0', async () => {
    const db = join(tempDir(), 'feed.sqlite');
    const p = await feed(db);
    const load = startLoad(p.url, { clients: 16, prefix: 'term' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const signalledAt = Date.now();
    const exit = await stop(p);
    const stopMs = Date.now() - signalledAt;
    const result = await load.stop();

    expect(exit).toEqual({ code: 0, signal: null });
    expect(stopMs).toBeLessThan(5000);
    const log = events(p);
    const stopping = log.findIndex((e) => e.event === 'stopping');
    const stopped = log.findIndex((e) => e.event === 'stopped');
    expect(stopping).toBeGreaterThan(-1);
    expect(stopped).toBeGreaterThan(stopping);
    expect(log[stopping]).toMatchObject({ signal: 'SIGTERM' });

    const stored = storedClients(db);
    const missing = result.acked.filter((id) => !stored.hashes.has(hashClient(stored.key, id)));
    console.log(
      `SIGTERM: ${result.sent} sent, ${result.acked.length} acknowledged, ${stored.rows} stored, stop took ${stopMs} ms;`,
      Object.fromEntries(result.answers),
      Object.fromEntries(result.errors),
    );
    expect(result.acked.length).toBeGreaterThan(50);
    expect(missing).toEqual([]);
    // What the server says it counted is exactly what is stored; nothing else was ever acknowledged.
    expect(log[stopped]?.counted).toBe(stored.rows);
    expect(stored.bucketSum).toBe(stored.rows);
    expect(result.acked.length).toBeLessThanOrEqual(stored.rows);
    // During the stop a report is either counted (and stored) or refused: 503, or no connection.
    expect([...result.answers.keys()].filter((a) => a !== '202 counted' && a !== '503 draining')).toEqual([]);
    expect(sum(result.answers) + sum(result.errors)).toBe(result.sent);
    // Once stopped, nothing answers at all.
    await expect(postReport(p.url, report({ client: clientId('late') }))).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });

  it('keeps counts and the dedupe window across a restart on the same database', async () => {
    const db = join(tempDir(), 'feed.sqlite');
    const first = await feed(db);
    for (const n of [0, 1, 2]) {
      expect((await postReport(first.url, report({ client: clientId(n) }))).json()).toEqual({
        counted: true,
      });
    }
    expect(await stop(first)).toEqual({ code: 0, signal: null });

    const second = await feed(db);
    expect(await feedTotal(second)).toBe(3);
    expect((await postReport(second.url, report({ client: clientId(0) }))).json()).toEqual({
      counted: false,
      reason: 'duplicate',
    });
    expect((await postReport(second.url, report({ client: clientId(3) }))).json()).toEqual({ counted: true });
    expect(await feedTotal(second)).toBe(4);
    expect(await stop(second)).toEqual({ code: 0, signal: null });
  });

  it('prunes old raw reports at start and keeps their counts', async () => {
    const db = join(tempDir(), 'feed.sqlite');
    const old = Date.now() - RAW_RETENTION_MS - 60 * 60_000;
    const seed = await openSqliteStorage(db, { now: () => old });
    await seed.addReports(
      [0, 1, 2, 3, 4].map((n) => ({
        service: 'telegram' as const,
        problem: 'login' as const,
        country: null,
        clientHash: `old-${n}`,
        netHash: `net-${n}`,
        at: old,
      })),
    );
    await seed.close();
    expect(storedClients(db).rows).toBe(5);

    const p = await feed(db);
    expect(await waitForEvent(p, 'pruned')).toMatchObject({ reports: 5, buckets: 0, breakdown: 0 });
    expect(storedClients(db)).toMatchObject({ rows: 0, bucketSum: 5 });
  });
});

describe('closing (in process)', () => {
  it('answers a report arriving on an open connection while draining with its own 503, then closes it', async () => {
    const s = await testServer({ ipPerMinute: 0, clientPerMinute: 0, batchMaxDelayMs: 300 });
    const socket = connect(s.port, '127.0.0.1');
    let raw = '';
    socket.on('data', (c: Buffer) => {
      raw += c.toString();
    });
    const ended = new Promise((resolve) => socket.on('close', resolve));
    const post = (client: string): string => {
      const body = JSON.stringify(report({ client }));
      return `POST /v1/reports HTTP/1.1\r\nhost: x\r\norigin: ${EXTENSION}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`;
    };
    socket.write(post(clientId('first'))); // waits in the batcher for 300 ms
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closing = s.close();
    socket.write(post(clientId('second'))); // pipelined on the busy connection, after close began
    await Promise.all([closing, ended]);
    const answers = raw.split(/(?=HTTP\/1\.1 \d{3} )/);
    expect(answers).toHaveLength(2);
    expect(answers[0]).toMatch(/^HTTP\/1\.1 202 [\s\S]*\{"counted":true\}$/);
    expect(answers[1]).toMatch(/^HTTP\/1\.1 503 /);
    expect(answers[1]).toMatch(/\r\nretry-after: 5\r\n/i);
    expect(answers[1]).toContain(`\r\naccess-control-allow-origin: ${EXTENSION}\r\n`);
    expect(answers[1]).toMatch(/\r\nconnection: close\r\n/i);
    expect(answers[1]).toContain('"error":"draining"');
    expect(s.stats.counted).toBe(1);
  });
});

describe('feed server command line', () => {
  function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], { cwd: ROOT });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
      });
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
      });
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it.each([
    [['--port', 'abc'], '--port must be an integer from 0 to 65535, not "abc"'],
    [['--port', '70000'], '--port must be an integer from 0 to 65535, not "70000"'],
    [['--batch-max', '0'], '--batch-max must be an integer from 1 to 100000, not "0"'],
    [['--ip-limit=-1'], '--ip-limit must be an integer from 0 to 1000000000, not "-1"'],
    [['--bogus'], "Unknown option '--bogus'"],
    [['extra'], "Unexpected argument 'extra'"],
  ])('exits 2 with a one-line message for %j', async (args, message) => {
    const { code, stdout, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const [first, ...rest] = stderr.split('\n');
    expect(first).toContain(message);
    expect(rest[0]).toMatch(/^usage: npm run feed/);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('exits 1 with a start_failed line when the database cannot be opened', async () => {
    const { code, stdout } = await run(['--port', '0', '--db', join(ROOT, 'package.json', 'feed.sqlite')]);
    expect(code).toBe(1);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 'error', event: 'start_failed' });
  });
});
