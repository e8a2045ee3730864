// The feed server's routes (contract §5) on Fastify: GET /v1/feed, POST /v1/reports, GET /healthz, and
// CORS preflight. Every answer, errors included, is JSON with CORS, so a browser can read why it failed.
// State (store, batcher, limiters, cached feed) is passed in; the lifecycle lives in server.ts.

import { createServer } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import * as v from 'valibot';
import { REPORT_MAX_BYTES, reportSchema } from '../src/shared/feed';
import type { Batcher } from './batcher';
import type { FeedCache } from './feed-cache';
import { FeedAnswers, feedFastPath } from './feed-http';
import { errorText, type Logger } from './log';
import { type AddressHasher, clientAddress, hashClient, rateKey } from './privacy';
import type { RateLimit, Take } from './rate-limit';
import type { ReportResult, StoredReport } from './storage/types';

export interface ServerStats {
  counted: number;
  duplicate: number;
  rateLimited: number;
  rejected: number;
  failed: number;
  batches: number;
  feedServed: number;
  feedNotModified: number;
}

export interface AppDeps {
  readonly now: () => number;
  readonly trustProxy: boolean;
  readonly clientKey: Uint8Array;
  readonly salt: AddressHasher;
  readonly ipLimiter: RateLimit;
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
const PREFLIGHT = Object.freeze({
  ...CORS,
  'access-control-allow-methods': 'GET, HEAD, POST, OPTIONS',
  'access-control-allow-headers': 'content-type, if-none-match',
  'access-control-max-age': '86400',
});
const JSON_HEADERS = Object.freeze({
  ...CORS,
  'content-type': 'application/json',
  'cache-control': 'no-store',
});
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
  return reply.code(status).headers(JSON_HEADERS).headers(headers).send(body);
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
    // The client address is ours to take (clientAddress): the first X-Forwarded-For entry with trustProxy.
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
    app.options(url, (_req, reply) => reply.code(204).headers(PREFLIGHT).send());
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
      if (deps.draining()) {
        sendError(reply, 503, 'draining', 'server: shutting down; retry later', { 'retry-after': '5' });
        return done();
      }
      const judge = (byIp: Take): void => {
        if (!byIp.ok) {
          stats.rateLimited++;
          rateLimited(reply, 'address', byIp);
        }
        done();
      };
      const byIp = deps.ipLimiter.take(rateKey(clientAddress(req.raw, deps.trustProxy)), deps.now());
      if (!(byIp instanceof Promise)) return judge(byIp);
      // A shared limit (in the database) answers later, or not at all while the database is away.
      byIp.then(judge, () => {
        unavailable(reply, 'storage: the rate limit could not be checked');
        done();
      });
    },
    handler: (req, reply) => handleReport(req, reply),
  });

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
        ipHash: await deps.salt.hash(clientAddress(req.raw, deps.trustProxy), t),
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
