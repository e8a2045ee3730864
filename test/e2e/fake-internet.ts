/**
 * A "fake internet" for end-to-end tests.
 *
 * Headless Chromium is started with
 *   --host-resolver-rules=MAP * 127.0.0.1:PORT, EXCLUDE localhost, EXCLUDE 127.0.0.1
 *   --ignore-certificate-errors
 * so every host name and port (https:// and http://) lands on the single port served here.
 * The first byte of each connection decides whether it is TLS (0x16 = handshake record) or
 * plain HTTP; the socket is then handed to an https.Server or an http.Server.
 *
 * What each request gets is decided from its Host header (port stripped, lower-cased) and the
 * mode set for that host (or the default mode).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * 'hang' never answers (the client runs into its own timeout); `{ hangMs }` answers nothing for that
 * long, then resets the connection: a slow failure, shorter than a client's timeout.
 */
export type HostMode = 'ok' | 'reset' | 'hang' | { hangMs: number } | { status: number } | 'portal';

export interface FakeRequest {
  host: string;
  method: string;
  path: string;
  at: number;
  secure: boolean;
  bytesIn: number;
  /** the Cookie header as sent, or null when there was none */
  cookie: string | null;
}

export interface RouteResult {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
}

export type RouteHandler = (req: IncomingMessage) => RouteResult;

export interface FakeInternetOptions {
  /**
   * Fixed ports to listen on (e.g. [443, 80] for a browser that resolves every host to 127.0.0.1 but
   * keeps the port, like Firefox with network.dns.forceResolve). Default: one free port.
   */
  ports?: number[];
}

export interface FakeInternet {
  /** the (first) port listened on */
  port: number;
  /** mode for one host name (exact, lower-case, without port), overrides the default */
  setHost(host: string, mode: HostMode): void;
  setHosts(hosts: string[], mode: HostMode): void;
  /** mode for every host without an explicit mode; initially 'ok' */
  setDefault(mode: HostMode): void;
  /** forget all per-host modes, default back to 'ok' (requests and routes are kept) */
  reset(): void;
  /** every request seen, in order (including ones that were reset/hung) */
  requests: FakeRequest[];
  /** register a handler for a host+path returning a body; it wins over the mode only when the mode is 'ok' */
  route(host: string, path: string, handler: RouteHandler): void;
  close(): Promise<void>;
}

export const PORTAL_HOST = 'portal.example';
export const PORTAL_URL = `http://${PORTAL_HOST}/login`;

const PORTAL_PAGE =
  '<!doctype html><html><head><title>Guest Wi-Fi Login</title></head><body>' +
  '<h1>Welcome to Guest Wi-Fi</h1><form method="post" action="/login">' +
  '<label><input type="checkbox" name="accept"> I accept the terms of use</label> ' +
  '<button type="submit">Connect</button></form></body></html>';

const APPLE_SUCCESS = '<HTML><HEAD><TITLE>Success</TITLE></HEAD><BODY>Success</BODY></HTML>';

// ---------------------------------------------------------------------------------------------
// TLS certificate: generated once per process, shared by every server started in it.

interface KeyPair {
  key: string;
  cert: string;
}

let certPromise: Promise<KeyPair> | undefined;

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 30_000 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`${cmd} failed: ${err.message}\n${stderr}`));
      else resolve();
    });
  });
}

async function generateCert(): Promise<KeyPair> {
  const dir = await mkdtemp(join(tmpdir(), 'fake-internet-'));
  try {
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    // biome-ignore format: keep the openssl command readable
    await run('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
      '-subj', '/CN=fake-internet', '-keyout', keyFile, '-out', certFile,
    ]);
    const [key, cert] = await Promise.all([readFile(keyFile, 'utf8'), readFile(certFile, 'utf8')]);
    return { key, cert };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function getCert(): Promise<KeyPair> {
  if (!certPromise) {
    certPromise = generateCert();
    // Let a later start retry if this attempt failed.
    certPromise.catch(() => {
      certPromise = undefined;
    });
  }
  return certPromise;
}

// ---------------------------------------------------------------------------------------------
// Helpers

function hostOf(req: IncomingMessage): string {
  let host = (req.headers.host ?? '').trim().toLowerCase();
  if (host.startsWith('[')) {
    // IPv6 literal: [::1]:443
    const end = host.indexOf(']');
    host = end >= 0 ? host.slice(0, end + 1) : host;
  } else {
    const colon = host.indexOf(':');
    if (colon >= 0) host = host.slice(0, colon);
  }
  if (host.endsWith('.')) host = host.slice(0, -1);
  return host;
}

function pathnameOf(path: string): string {
  const q = path.search(/[?#]/);
  return q >= 0 ? path.slice(0, q) : path;
}

/** Approximate size of the request head on the wire: request line + header lines + blank line. */
function headBytes(req: IncomingMessage): number {
  let n = Buffer.byteLength(`${req.method ?? ''} ${req.url ?? ''} HTTP/${req.httpVersion}\r\n`);
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    n += Buffer.byteLength(`${raw[i]}: ${raw[i + 1]}\r\n`);
  }
  return n + 2;
}

function isSecure(req: IncomingMessage): boolean {
  return (req.socket as { encrypted?: boolean }).encrypted === true;
}

function connKey(sock: net.Socket): string {
  return `${sock.remoteAddress ?? ''}:${sock.remotePort ?? ''}`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function noBodyStatus(status: number): boolean {
  return status === 204 || status === 304 || (status >= 100 && status < 200);
}

const BASE_HEADERS: Record<string, string> = {
  server: 'fake-internet',
  'cache-control': 'no-store',
  'access-control-allow-origin': '*',
};

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  const h: OutgoingHttpHeaders = { ...BASE_HEADERS, ...headers };
  // Always allow cross-origin reads, whatever a route says.
  if (!Object.keys(h).some((k) => k.toLowerCase() === 'access-control-allow-origin')) {
    h['access-control-allow-origin'] = '*';
  }
  if (noBodyStatus(status)) {
    for (const k of Object.keys(h)) {
      const lk = k.toLowerCase();
      if (lk === 'content-type' || lk === 'content-length') delete h[k];
    }
    res.writeHead(status, h);
    res.end();
    return;
  }
  if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-length')) {
    h['content-length'] = Buffer.byteLength(body);
  }
  res.writeHead(status, h);
  // Node drops the body of HEAD responses by itself (keeping content-length).
  res.end(body);
}

// ---------------------------------------------------------------------------------------------

export async function startFakeInternet(options: FakeInternetOptions = {}): Promise<FakeInternet> {
  const { key, cert } = await getCert();

  const hostModes = new Map<string, HostMode>();
  let defaultMode: HostMode = 'ok';
  const routes = new Map<string, RouteHandler>();
  const requests: FakeRequest[] = [];

  /** every raw TCP connection, so close() can destroy them (hanging ones included) */
  const sockets = new Set<net.Socket>();
  /** raw TCP socket by peer address, to send a real RST for 'reset' even under TLS */
  const rawByPeer = new Map<string, net.Socket>();
  /** the pending resets of { hangMs } requests, cleared by close() */
  const hangTimers = new Set<NodeJS.Timeout>();
  let closing = false;

  const modeFor = (host: string): HostMode => hostModes.get(host) ?? defaultMode;

  const answerOk = (req: IncomingMessage, res: ServerResponse, host: string): void => {
    const path = pathnameOf(req.url ?? '/');
    const route = routes.get(`${host} ${path}`) ?? routes.get(`${host} ${req.url ?? '/'}`);
    if (route) {
      let result: RouteResult;
      try {
        result = route(req);
      } catch (err) {
        send(res, 500, `route handler failed: ${String(err)}\n`, { 'content-type': 'text/plain' });
        return;
      }
      send(res, result.status ?? 200, result.body ?? '', {
        'content-type': 'text/plain; charset=utf-8',
        ...result.headers,
      });
      return;
    }
    if (req.method === 'OPTIONS') {
      // CORS preflight
      send(res, 204, '', {
        'access-control-allow-methods': 'GET, HEAD, POST, PUT, DELETE, OPTIONS',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
        'access-control-max-age': '600',
      });
      return;
    }
    if (path === '/generate_204') {
      send(res, 204, '');
    } else if (host === 'detectportal.firefox.com' && path === '/success.txt') {
      send(res, 200, 'success\n', { 'content-type': 'text/plain' });
    } else if (host === 'captive.apple.com' && path === '/hotspot-detect.html') {
      send(res, 200, APPLE_SUCCESS, { 'content-type': 'text/html' });
    } else if (host === 'www.msftconnecttest.com' && path === '/connecttest.txt') {
      send(res, 200, 'Microsoft Connect Test', { 'content-type': 'text/plain' });
    } else if (host === PORTAL_HOST && path === '/login') {
      send(res, 200, PORTAL_PAGE, { 'content-type': 'text/html; charset=utf-8' });
    } else {
      send(res, 200, `<!doctype html><html><body>ok ${escapeHtml(host)}</body></html>`, {
        'content-type': 'text/html; charset=utf-8',
      });
    }
  };

  const resetConnection = (req: IncomingMessage): void => {
    const sock = req.socket;
    const raw = rawByPeer.get(connKey(sock));
    if (raw && !raw.destroyed) {
      try {
        raw.resetAndDestroy(); // TCP RST: the browser sees ERR_CONNECTION_RESET
      } catch {
        raw.destroy();
      }
    }
    sock.destroy();
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const host = hostOf(req);
    requests.push({
      host,
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      at: Date.now(),
      secure: isSecure(req),
      bytesIn: headBytes(req),
      cookie: req.headers.cookie ?? null,
    });
    const mode = modeFor(host);
    if (mode === 'ok') {
      answerOk(req, res, host);
    } else if (mode === 'reset') {
      resetConnection(req);
    } else if (mode === 'hang') {
      // Never answer; close() destroys the socket.
      req.resume();
    } else if (mode === 'portal') {
      if (host === PORTAL_HOST) {
        send(res, 200, PORTAL_PAGE, { 'content-type': 'text/html; charset=utf-8' });
      } else {
        send(
          res,
          302,
          `<!doctype html><html><body><a href="${PORTAL_URL}">Log in to the network</a></body></html>`,
          { location: PORTAL_URL, 'content-type': 'text/html; charset=utf-8' },
        );
      }
    } else if ('hangMs' in mode) {
      // Answer nothing for a while, then fail the way a broken server does.
      req.resume();
      const timer = setTimeout(() => {
        hangTimers.delete(timer);
        resetConnection(req);
      }, mode.hangMs);
      hangTimers.add(timer);
    } else {
      const status = mode.status;
      const text = `${status} ${http.STATUS_CODES[status] ?? 'Unknown'}`;
      send(res, status, `<!doctype html><html><body><h1>${escapeHtml(text)}</h1></body></html>`, {
        'content-type': 'text/html; charset=utf-8',
      });
    }
  };

  const httpServer = http.createServer(onRequest);
  const httpsServer = https.createServer({ key, cert }, onRequest);
  for (const s of [httpServer, httpsServer]) {
    s.on('error', () => {});
    s.on('clientError', (_err, sock) => sock.destroy());
    s.keepAliveTimeout = 5_000;
  }
  httpsServer.on('tlsClientError', () => {});

  const onConnection = (sock: net.Socket): void => {
    if (closing) {
      sock.destroy();
      return;
    }
    sockets.add(sock);
    const peer = connKey(sock);
    rawByPeer.set(peer, sock);
    sock.on('error', () => {});
    sock.once('close', () => {
      sockets.delete(sock);
      if (rawByPeer.get(peer) === sock) rawByPeer.delete(peer);
    });
    sock.once('data', (chunk: Buffer) => {
      sock.pause();
      sock.unshift(chunk);
      const target = chunk[0] === 0x16 ? httpsServer : httpServer;
      target.emit('connection', sock);
      // The http parser / TLS wrapper has taken over; let data flow again.
      process.nextTick(() => sock.resume());
    });
  };

  const fronts: net.Server[] = [];
  const listenOn = (port: number) => {
    const front = net.createServer(onConnection);
    fronts.push(front);
    return new Promise<void>((resolve, reject) => {
      front.once('error', (err) =>
        reject(new Error(`fake internet: cannot listen on port ${port}: ${err.message}`)),
      );
      front.listen(port, '127.0.0.1', () => {
        front.removeAllListeners('error');
        front.on('error', () => {});
        resolve();
      });
    });
  };
  const closeFronts = () =>
    Promise.all(
      fronts.map((f) => new Promise<void>((resolve) => (f.listening ? f.close(() => resolve()) : resolve()))),
    );
  try {
    for (const port of options.ports ?? [0]) await listenOn(port);
  } catch (error) {
    await closeFronts();
    throw error;
  }
  const address = fronts[0]?.address();
  if (!address || typeof address === 'string') throw new Error('fake internet: no TCP address');

  return {
    port: address.port,
    requests,
    setHost(host, mode) {
      hostModes.set(host.toLowerCase(), mode);
    },
    setHosts(hosts, mode) {
      for (const h of hosts) hostModes.set(h.toLowerCase(), mode);
    },
    setDefault(mode) {
      defaultMode = mode;
    },
    reset() {
      hostModes.clear();
      defaultMode = 'ok';
    },
    route(host, path, handler) {
      routes.set(`${host.toLowerCase()} ${path}`, handler);
    },
    close() {
      closing = true;
      for (const t of hangTimers) clearTimeout(t);
      hangTimers.clear();
      const closed = closeFronts().then(() => undefined);
      for (const s of sockets) s.destroy();
      sockets.clear();
      rawByPeer.clear();
      httpServer.closeAllConnections();
      httpsServer.closeAllConnections();
      return closed;
    },
  };
}
