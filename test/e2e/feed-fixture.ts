/**
 * The real feed server (server/server.ts, SQLite in a temporary folder) behind a small recording
 * reverse proxy, for end-to-end tests in any browser.
 *
 * The extension's feed URL points at the proxy (`http://localhost:<proxy port>`). The proxy writes
 * down the method, path and Origin of every request (what the browser really sent, preflights
 * included), appends the address it saw to X-Forwarded-For as nginx's $proxy_add_x_forwarded_for
 * does, and forwards the request unchanged to the server, which trusts 127.0.0.1 as its proxy.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../server/log';
import { type RunningServer, startServer } from '../../server/server';
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
}

export interface RecordingProxy {
  readonly port: number;
  /** Every request seen, in arrival order. */
  readonly requests: ProxiedRequest[];
  close(): Promise<void>;
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
    };
    requests.push(seen);
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
  close(): Promise<void>;
}

/**
 * Starts the feed server on a free port of 127.0.0.1 with a recording proxy in front of it.
 * feedRefreshMs 0: every read rebuilds the document, so a report shows in the next read.
 */
export async function startRecordedFeed(): Promise<RecordedFeed> {
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
    close,
  };
}
