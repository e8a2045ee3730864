/**
 * The real feed server (server/server.ts, SQLite in a temporary folder) behind a small recording
 * reverse proxy, for end-to-end tests in any browser.
 *
 * The extension's feed URL points at the proxy (`http://localhost:<proxy port>`). The proxy writes
 * down the method, path and Origin of every request (what the browser really sent, preflights
 * included), appends the address it saw to X-Forwarded-For as nginx's $proxy_add_x_forwarded_for
 * does, and forwards the request unchanged to the server, which trusts 127.0.0.1 as its proxy. So the
 * browser under test is, to the server, the network 127.0.0.0/24; other browsers that post straight to
 * the server from 127.N.M.x (other-browsers.ts) are other networks.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../server/log';
import { type RunningServer, type ServerOptions, startServer } from '../../server/server';
import { parseTrustProxy } from '../../server/trust-proxy';

export interface ProxiedRequest {
  readonly method: string;
  /** The path with its query, as sent. */
  readonly path: string;
  /** The Origin header as sent, or null when there was none. */
  readonly origin: string | null;
  readonly contentType: string | null;
  readonly at: number;
  /** The server's answer, once it came (502 when the server could not be reached). */
  status: number | null;
  /** The body as sent (UTF-8), complete once the request has ended. */
  body: string;
  /** The request line and headers as HTTP/1.1 put them on the wire, in bytes (CRLFs included). */
  readonly headerBytes: number;
}

export interface RecordingProxy {
  readonly port: number;
  /** Every request seen, in arrival order. */
  readonly requests: ProxiedRequest[];
  close(): Promise<void>;
}

/** The bytes of a request's line and headers as HTTP/1.1 sends them. */
function headerBytesOf(req: IncomingMessage): number {
  let text = `${req.method} ${req.url} HTTP/${req.httpVersion}\r\n`;
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2)
    text += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
  return Buffer.byteLength(`${text}\r\n`);
}

/** A reverse proxy on 127.0.0.1 (a free port unless `port` is given) that records and forwards to `target`. */
export async function startRecordingProxy(target: string, port = 0): Promise<RecordingProxy> {
  const requests: ProxiedRequest[] = [];
  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    const seen: ProxiedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      origin: req.headers.origin ?? null,
      contentType: req.headers['content-type'] ?? null,
      at: Date.now(),
      status: null,
      body: '',
      headerBytes: headerBytesOf(req),
    };
    requests.push(seen);
    // The body is recorded as it passes through to the server.
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.body = Buffer.concat(chunks).toString('utf8');
    });
    const peer = req.socket.remoteAddress ?? '';
    const prior = req.headers['x-forwarded-for'];
    const upstream = request(
      `${target}${seen.path}`,
      {
        method: seen.method,
        headers: { ...req.headers, 'x-forwarded-for': prior ? `${prior}, ${peer}` : peer },
        agent: false,
      },
      (answer) => {
        seen.status = answer.statusCode ?? 502;
        res.writeHead(seen.status, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      seen.status = 502;
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${error.message}\n`);
    });
    req.pipe(upstream);
  };
  const proxy = createServer(forward);
  await new Promise<void>((resolve, reject) => {
    proxy.once('error', (error) => reject(new Error(`recording proxy: cannot listen: ${error.message}`)));
    proxy.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (proxy.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        proxy.close(() => resolve());
        proxy.closeAllConnections();
      }),
  };
}

export interface RecordedFeed {
  readonly server: RunningServer;
  readonly proxy: RecordingProxy;
  /** The feed URL as a user types it: localhost, the proxy's port. */
  readonly feedUrl: string;
  /** What reached POST /v1/reports (and its preflight), in order. */
  reportRequests(): ProxiedRequest[];
  /** What reached POST /v1/observations (and its preflight), in order. */
  observationRequests(): ProxiedRequest[];
  close(): Promise<void>;
}

/** What a test may set of the server (its flags): how long browsers spread a change's observation over. */
export type RecordedFeedOptions = Pick<ServerOptions, 'observeSpreadSeconds'>;

/**
 * Starts the feed server on a free port of 127.0.0.1 with a recording proxy in front of it.
 * feedRefreshMs 0 (`--feed-refresh-ms 0`): every read rebuilds the document, so a report or an
 * observation shows in the next read.
 */
export async function startRecordedFeed(options: RecordedFeedOptions = {}): Promise<RecordedFeed> {
  const dir = await mkdtemp(join(tmpdir(), 'detour-e2e-feed-'));
  let server: RunningServer | undefined;
  let proxy: RecordingProxy | undefined;
  const close = async () => {
    await proxy?.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    server = await startServer({
      port: 0,
      host: '127.0.0.1',
      db: join(dir, 'feed.sqlite'),
      log: silentLogger,
      feedRefreshMs: 0,
      trustProxy: parseTrustProxy('127.0.0.1'),
      ...options,
    });
    proxy = await startRecordingProxy(server.url);
  } catch (error) {
    await close();
    throw error;
  }
  const recording = proxy;
  return {
    server,
    proxy,
    feedUrl: `http://localhost:${proxy.port}`,
    reportRequests: () => recording.requests.filter((r) => r.path.split('?')[0] === '/v1/reports'),
    observationRequests: () => recording.requests.filter((r) => r.path.split('?')[0] === '/v1/observations'),
    close,
  };
}
