// Helpers for the feed server's tests: temporary databases, raw HTTP (exact headers and bytes, no fetch
// magic), and real server processes for the SIGTERM and crash tests.

import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { type IncomingHttpHeaders, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { silentLogger } from '../log';
import { hashClient } from '../privacy';
import { type RunningServer, type ServerOptions, startServer } from '../server';

export const ROOT = resolve(import.meta.dirname, '../..');
/** A fixed, bucket-aligned start for fake clocks: Sunday 22 Nov 2026, 10:00 UTC. */
export const T0 = Date.parse('2026-11-22T10:00:00Z');

const dirs: string[] = [];
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'detour-server-'));
  dirs.push(dir);
  return dir;
}
export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A valid client id (16–64 of A-Za-z0-9_-), distinct per `n`. */
export function clientId(n: number | string): string {
  return `client_${n}`.padEnd(16, 'x');
}

export interface Clock {
  t: number;
  now: () => number;
}
export function fakeClock(t = T0): Clock {
  const clock: Clock = { t, now: () => clock.t };
  return clock;
}

/** startServer on a free port with a fresh database, no logs; options override. */
export async function testServer(options: ServerOptions = {}): Promise<RunningServer> {
  return startServer({
    port: 0,
    host: '127.0.0.1',
    db: join(tempDir(), 'feed.sqlite'),
    log: silentLogger,
    ...options,
  });
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json: () => unknown;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send the body in chunks without a content-length. */
  chunked?: boolean;
  /**
   * The source address to connect from: any of 127.0.0.0/8 reaches a server on 127.0.0.1 (Linux routes
   * the whole block to loopback), so tests can send from many real addresses and networks.
   */
  localAddress?: string;
}

export function http(url: string, req: RawRequest = {}): Promise<RawResponse> {
  return new Promise((resolvePromise, reject) => {
    const headers: Record<string, string> = { ...req.headers };
    if (req.body !== undefined && !req.chunked)
      headers['content-length'] = String(Buffer.byteLength(req.body));
    if (req.chunked) headers['transfer-encoding'] = 'chunked';
    const options = { method: req.method ?? 'GET', headers, agent: false, localAddress: req.localAddress };
    const r = request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        resolvePromise({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          text,
          json: () => JSON.parse(text),
        });
      });
      res.on('error', reject);
    });
    r.on('error', reject);
    if (req.body === undefined) r.end();
    else if (req.chunked) {
      const body = Buffer.from(req.body);
      let at = 0;
      const pump = (): void => {
        while (at < body.length) {
          const chunk = body.subarray(at, at + 512);
          at += chunk.length;
          if (!r.write(chunk)) {
            r.once('drain', pump);
            return;
          }
        }
        r.end();
      };
      pump();
    } else r.end(req.body);
  });
}

export interface ReportBody {
  service?: string;
  problem?: string;
  country?: string;
  client?: string;
}

export function report(overrides: ReportBody = {}): ReportBody {
  return {
    service: 'whatsapp',
    problem: 'messages',
    country: 'IT',
    client: clientId('default'),
    ...overrides,
  };
}

/** POSTs `body` (a string as is, anything else as JSON) to `path`, declared JSON. */
function postJson(path: string) {
  return (base: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> =>
    http(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
}

export const postReport = postJson('/v1/reports');
export const postObservation = postJson('/v1/observations');

/** A server process started the way `npm run feed` starts it (node --import tsx server/main.ts). */
export interface FeedProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly port: number;
  readonly url: string;
  /** Every stdout line so far. */
  readonly lines: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function spawnFeed(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<FeedProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolvePromise) =>
    child.once('exit', (code, signal) => resolvePromise({ code, signal })),
  );
  const port = await new Promise<number>((resolvePromise, reject) => {
    let buf = '';
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      let nl = buf.indexOf('\n');
      while (nl !== -1) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        lines.push(line);
        const parsed = JSON.parse(line) as { event?: string; port?: number };
        if (parsed.event === 'listening' && typeof parsed.port === 'number') resolvePromise(parsed.port);
        nl = buf.indexOf('\n');
      }
    });
    exited.then(({ code }) => reject(new Error(`feed server exited (${code}) before listening: ${stderr}`)));
  });
  return { child, port, url: `http://127.0.0.1:${port}`, lines, exited };
}

/** Client hashes stored in a feed database (opened read-only next to a running server, WAL allows it). */
export function storedClients(dbPath: string): {
  hashes: Set<string>;
  rows: number;
  bucketSum: number;
  key: Buffer;
} {
  const db = new Database(dbPath, { readonly: true });
  try {
    const key = Buffer.from(
      (db.prepare("SELECT value FROM meta WHERE key = 'client_key'").get() as { value: string }).value,
      'hex',
    );
    const hashes = new Set(
      (db.prepare('SELECT client_hash FROM reports').all() as { client_hash: string }[]).map(
        (r) => r.client_hash,
      ),
    );
    const rows = (db.prepare('SELECT COUNT(*) AS n FROM reports').get() as { n: number }).n;
    const bucketSum = (
      db.prepare('SELECT COALESCE(SUM(reports), 0) AS n FROM buckets').get() as { n: number }
    ).n;
    return { hashes, rows, bucketSum, key };
  } finally {
    db.close();
  }
}

export { hashClient };
