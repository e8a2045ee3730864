// The feed server's routes (docs/contract.md, the feed protocol) on Fastify: GET /v1/feed, POST
// /v1/reports, GET /healthz, and CORS preflight. Every answer, errors included, is JSON. The feed is open
// to every origin (CORS *); reports only to browser extensions: a web page (or an ad) must not make its
// visitors' browsers post reports from their home addresses, so a request that carries any other Origin
// is refused before anything is read or counted. Scripts and servers send no Origin: they are accepted
// and rate-limited like everyone. State (store, batcher, limiters, cached feed) is passed in; the
// lifecycle lives in server.ts.

import { createServer } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import * as v from 'valibot';
import { REPORT_MAX_BYTES, reportSchema } from '../src/shared/feed';
import type { Batcher } from './batcher';
import type { FeedCache } from './feed-cache';
import { FeedAnswers, feedFastPath } from './feed-http';
import { errorText, type Logger } from './log';
import { type AddressHasher, hashClient, networkKey, rateKey } from './privacy';
import type { RateLimit, Take } from './rate-limit';
import type { ReportResult, StoredReport } from './storage/types';
import { clientAddress, type TrustProxy } from './trust-proxy';

export interface ServerStats {
  counted: number;
  duplicate: number;
  rateLimited: number;
  /** Reports refused because they came from a web page (an Origin that is not an extension's). */
  forbiddenOrigin: number;
  rejected: number;
  failed: number;
  batches: number;
  feedServed: number;
  feedNotModified: number;
}

export interface AppDeps {
  readonly now: () => number;
  readonly trustProxy: TrustProxy;
  readonly clientKey: Uint8Array;
  readonly salt: AddressHasher;
  /** Per address (IPv4 /32, IPv6 /64). */
  readonly ipLimiter: RateLimit;
  /** Per network (IPv4 /24, IPv6 /48). */
  readonly netLimiter: RateLimit;
  readonly clientLimiter: RateLimit;
  /** Shared state (PostgreSQL): whether the database answers; /healthz is 503 while it doesn't. */
  readonly healthy?: () => Promise<boolean>;
  readonly batcher: Batcher<StoredReport, ReportResult>;
  readonly feed: FeedCache;
  readonly stats: ServerStats;
  readonly log: Logger;
  /** True once shutdown began: reports are refused (503) so nothing arrives after the last commit. */
  readonly draining: () => boolean;
}

const CORS = Object.freeze({ 'access-control-allow-origin': '*' });
const PREFLIGHT_AGE = { 'access-control-max-age': '86400' };
const READ_PREFLIGHT = Object.freeze({
  ...CORS,
  'access-control-allow-methods': 'GET, HEAD, OPTIONS',
  'access-control-allow-headers': 'if-none-match',
  ...PREFLIGHT_AGE,
});
const JSON_HEADERS = Object.freeze({
  'content-type': 'application/json',
  'cache-control': 'no-store',
});
const REPORTS = '/v1/reports';

/** The origins of browser extensions: the only pages that may post reports. */
const EXTENSION_ORIGIN = /^(chrome-extension|moz-extension|safari-web-extension):\/\/[A-Za-z0-9._-]{1,128}$/;

/**
 * What a request's Origin allows on the reports route: none (no Origin: a script, accepted), an
 * extension (its origin echoed in CORS, never `*`), or forbidden (a web page, `null` included).
 */
export function reportOrigin(
  origin: string | undefined,
): { kind: 'none' } | { kind: 'extension'; origin: string } | { kind: 'forbidden' } {
  if (origin === undefined) return { kind: 'none' };
  return EXTENSION_ORIGIN.test(origin) ? { kind: 'extension', origin } : { kind: 'forbidden' };
}

/** CORS headers for an answer on `url`: the feed and health are open to all; reports to extensions. */
function corsFor(req: FastifyRequest): Record<string, string> {
  if (req.url.split('?')[0] !== REPORTS) return CORS;
  const origin = reportOrigin(req.headers.origin);
  return origin.kind === 'extension'
    ? { 'access-control-allow-origin': origin.origin, vary: 'origin' }
    : { vary: 'origin' };
}
// Bodies go out as bytes: Fastify would add "; charset=utf-8" to a string's content type.
const COUNTED_BODY = Buffer.from(JSON.stringify({ counted: true }));
const DUPLICATE_BODY = Buffer.from(JSON.stringify({ counted: false, reason: 'duplicate' }));
const HEALTHY_BODY = Buffer.from(JSON.stringify({ ok: true }));
const ROUTES = { '/v1/reports': ['POST'], '/v1/feed': ['GET', 'HEAD'], '/healthz': ['GET', 'HEAD'] } as const;
const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;
const KEEP_ALIVE_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 15_000;
const CONNECTION_TIMEOUT_MS = 20_000;

function sendJson(
  reply: FastifyReply,
  status: number,
  body: Buffer,
  headers: Record<string, string> = {},
): FastifyReply {
  return reply.code(status).headers(JSON_HEADERS).headers(corsFor(reply.request)).headers(headers).send(body);
}

function sendError(
  reply: FastifyReply,
  status: number,
  error: string,
  message: string,
  headers: Record<string, string> = {},
): FastifyReply {
  return sendJson(reply, status, Buffer.from(JSON.stringify({ error, message })), headers);
}

/** "field: what is wrong", from valibot's first issue. */
export function describeIssue(issues: readonly v.BaseIssue<unknown>[]): string {
  const issue = issues[0];
  const path = issue?.path?.map((p) => String(p.key)).join('.');
  if (!issue || !path) return 'body: must be a JSON object';
  if (issue.input === undefined) return `${path}: required`;
  return `${path}: ${issue.message}`;
}

/** The database (store, shared limits or salt) can't be reached: retry soon, nothing was stored. */
function unavailable(reply: FastifyReply, what: string): FastifyReply {
  return sendError(reply, 503, 'unavailable', `${what}; retry later`, { 'retry-after': '5' });
}

function forbiddenOrigin(reply: FastifyReply): FastifyReply {
  return sendError(
    reply,
    403,
    'forbidden-origin',
    'origin: reports are taken from browser extensions only, not from web pages',
  );
}

function rateLimited(reply: FastifyReply, who: string, take: Exclude<Take, { ok: true }>): FastifyReply {
  return sendError(
    reply,
    429,
    'rate_limited',
    `too many reports from this ${who}; retry in ${take.retryAfterSeconds} s`,
    {
      'retry-after': String(take.retryAfterSeconds),
    },
  );
}

export function buildApp(deps: AppDeps): FastifyInstance {
  const { stats, log } = deps;
  const feedAnswers = new FeedAnswers();
  const countFeed = (status: 200 | 304): void => {
    if (status === 200) stats.feedServed++;
    else stats.feedNotModified++;
  };
  const fastFeed = feedFastPath(feedAnswers, () => (deps.draining() ? null : deps.feed.fresh()), countFeed);
  const app = Fastify({
    // Reads of a fresh feed document are answered before Fastify (feed-http.ts); the server gets the
    // timeouts Fastify would have set on its own.
    serverFactory: (handler) => {
      const server = createServer((req, res) => {
        if (!fastFeed(req, res)) handler(req, res);
      });
      server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
      server.requestTimeout = REQUEST_TIMEOUT_MS;
      server.setTimeout(CONNECTION_TIMEOUT_MS);
      return server;
    },
    logger: false,
    bodyLimit: REPORT_MAX_BYTES,
    // The client address is ours to take (trust-proxy.ts): the rightmost entry no trusted proxy added.
    trustProxy: false,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    forceCloseConnections: 'idle',
    // While closing, Fastify still marks every answer `connection: close`; our own routes then answer
    // (503 "draining" with Retry-After and CORS for reports, see onRequest) instead of Fastify's bare 503.
    return503OnClosing: false,
  });

  // The body stays raw bytes: we parse it ourselves to answer with our own codes and messages.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    return sendError(reply, 404, 'not_found', `path: no such resource ${JSON.stringify(path.slice(0, 100))}`);
  });

  app.setErrorHandler((error: { code?: string; statusCode?: number; message?: string }, _req, reply) => {
    stats.rejected++;
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        // The rest of the body is not read: the connection goes with the answer.
        return sendError(reply, 413, 'too_large', `body: at most ${REPORT_MAX_BYTES} bytes`, {
          connection: 'close',
        });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendError(reply, 415, 'unsupported_media_type', 'content-type: must be application/json');
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return sendError(reply, 400, 'invalid_length', 'content-length: does not match the body');
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500)
      return sendError(reply, status, 'bad_request', error.message ?? 'bad request');
    log('request_failed', { error: errorText(error) }, 'error');
    return sendError(reply, 500, 'internal', 'server: unexpected error', { connection: 'close' });
  });

  for (const [url, allowed] of Object.entries(ROUTES)) {
    if (url === REPORTS) {
      app.options(url, (req, reply) => {
        const origin = reportOrigin(req.headers.origin);
        if (origin.kind === 'forbidden') return forbiddenOrigin(reply);
        return reply
          .code(204)
          .headers(corsFor(req))
          .headers({
            'access-control-allow-methods': 'POST, OPTIONS',
            'access-control-allow-headers': 'content-type',
            ...PREFLIGHT_AGE,
          })
          .send();
      });
    } else {
      app.options(url, (_req, reply) => reply.code(204).headers(READ_PREFLIGHT).send());
    }
    const others = ALL_METHODS.filter((m) => !(allowed as readonly string[]).includes(m));
    // GET handlers answer HEAD themselves; a route for HEAD would clash with Fastify's own.
    const refused = others.filter((m) => !(m === 'HEAD' && allowed.includes('GET' as never)));
    app.route({
      method: refused,
      url,
      // onRequest answers before any body is read or judged.
      onRequest: (_req, reply, done) => {
        sendError(reply, 405, 'method_not_allowed', `method: ${url} takes ${allowed.join(' or ')}`, {
          allow: [...allowed, 'OPTIONS'].join(', '),
        });
        done();
      },
      handler: () => undefined,
    });
  }

  app.get('/healthz', async (_req, reply) => {
    if (deps.draining()) return sendError(reply, 503, 'draining', 'server: shutting down');
    if (deps.healthy && !(await deps.healthy())) return unavailable(reply, 'storage: not reachable');
    return sendJson(reply, 200, HEALTHY_BODY);
  });

  app.get('/v1/feed', async (req, reply) => {
    let doc: Awaited<ReturnType<FeedCache['get']>>;
    try {
      doc = await deps.feed.get();
    } catch {
      return sendError(reply, 503, 'unavailable', 'feed: could not be built; retry later', {
        'retry-after': '5',
      });
    }
    const answer = feedAnswers.answer(doc, req.headers);
    countFeed(answer.status);
    return reply
      .code(answer.status)
      .headers(answer.headers)
      .send(answer.body ?? undefined);
  });

  app.post('/v1/reports', {
    // Before the body is read: refuse while draining, and keep a flooding address from costing a parse.
    onRequest: (req, reply, done) => {
      if (reportOrigin(req.headers.origin).kind === 'forbidden') {
        stats.forbiddenOrigin++;
        forbiddenOrigin(reply);
        return done();
      }
      if (deps.draining()) {
        sendError(reply, 503, 'draining', 'server: shutting down; retry later', { 'retry-after': '5' });
        return done();
      }
      const address = addressOf(req);
      const judge = (byIp: Take, byNet: Take): void => {
        const refused = !byIp.ok ? byIp : !byNet.ok ? byNet : null;
        if (refused) {
          stats.rateLimited++;
          rateLimited(reply, refused === byIp ? 'address' : 'network', refused);
        }
        done();
      };
      const now = deps.now();
      const byIp = deps.ipLimiter.take(rateKey(address), now);
      const byNet = deps.netLimiter.take(networkKey(address), now);
      if (!(byIp instanceof Promise) && !(byNet instanceof Promise)) return judge(byIp, byNet);
      // A shared limit (in the database) answers later, or not at all while the database is away.
      Promise.all([byIp, byNet]).then(
        ([ip, net]) => judge(ip, net),
        () => {
          unavailable(reply, 'storage: the rate limit could not be checked');
          done();
        },
      );
    },
    handler: (req, reply) => handleReport(req, reply),
  });

  /** The sender's address, by the trusted-proxy rules (trust-proxy.ts); computed once per request. */
  const addresses = new WeakMap<FastifyRequest, string>();
  function addressOf(req: FastifyRequest): string {
    let address = addresses.get(req);
    if (address === undefined) {
      address = clientAddress(req.raw.socket.remoteAddress, req.headers['x-forwarded-for'], deps.trustProxy);
      addresses.set(req, address);
    }
    return address;
  }

  async function handleReport(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const t = deps.now();
    const body = req.body;
    if (!Buffer.isBuffer(body)) {
      // No content-type and no body: nothing declared JSON.
      stats.rejected++;
      return sendError(reply, 415, 'unsupported_media_type', 'content-type: must be application/json');
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      stats.rejected++;
      return sendError(reply, 400, 'invalid_json', 'body: not valid JSON');
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      stats.rejected++;
      return sendError(reply, 400, 'invalid_report', 'body: must be a JSON object');
    }
    const parsed = v.safeParse(reportSchema, json);
    if (!parsed.success) {
      stats.rejected++;
      return sendError(reply, 400, 'invalid_report', describeIssue(parsed.issues));
    }
    const report = parsed.output;
    let byClient: Take;
    try {
      byClient = await deps.clientLimiter.take(report.client, t);
    } catch {
      return unavailable(reply, 'storage: the rate limit could not be checked');
    }
    if (!byClient.ok) {
      stats.rateLimited++;
      return rateLimited(reply, 'client', byClient);
    }
    let result: ReportResult;
    try {
      result = await deps.batcher.submit({
        service: report.service,
        problem: report.problem,
        country: report.country ?? null,
        clientHash: hashClient(deps.clientKey, report.client),
        netHash: await deps.salt.hash(networkKey(addressOf(req)), t),
        at: t,
      });
    } catch {
      return unavailable(reply, 'storage: the report could not be stored');
    }
    if (result.counted) stats.counted++;
    else stats.duplicate++;
    return sendJson(reply, 202, result.counted ? COUNTED_BODY : DUPLICATE_BODY);
  }

  return app;
}
