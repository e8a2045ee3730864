// The feed server's routes (docs/contract.md, the feed protocol) on Fastify: GET /v1/feed, POST
// /v1/reports, POST /v1/observations, GET /healthz, and CORS preflight. Every answer, errors included, is
// JSON. The feed is open to every origin (CORS *); reports and observations only to browser extensions:
// a web page (or an ad) must not make its visitors' browsers post from their home addresses, so a request
// that carries any other Origin is refused before anything is read or counted. Scripts and servers send
// no Origin: they are accepted and rate-limited like everyone. Both posts go through one pipeline (origin,
// drain, per-address and per-network limits before the body; then JSON, schema, per-client limit, group
// commit), each with limits and a batcher of its own. State (store, batchers, limiters, cached feed) is
// passed in; the lifecycle lives in server.ts.

import { createServer } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import * as v from 'valibot';
import { OBSERVATION_MAX_BYTES, observationSchema, REPORT_MAX_BYTES, reportSchema } from '../src/shared/feed';
import type { Batcher } from './batcher';
import type { FeedCache } from './feed-cache';
import { FeedAnswers, feedFastPath } from './feed-http';
import { errorText, type Logger } from './log';
import { observationRecord, reportRecord } from './post-record';
import { type AddressHasher, networkKey, rateKey } from './privacy';
import type { RateLimit, Take } from './rate-limit';
import type { ObservationResult, ReportResult, StoredObservation, StoredReport } from './storage/types';
import { clientAddress, type TrustProxy } from './trust-proxy';

export interface ServerStats {
  counted: number;
  duplicate: number;
  rateLimited: number;
  /** Reports refused because they came from a web page (an Origin that is not an extension's). */
  forbiddenOrigin: number;
  /** Observations that stored a state, and those that stored nothing (a repeat, or a full network). */
  observationsCounted: number;
  observationsNotCounted: number;
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
  /** Observations: limits of their own (separate buckets, the same rates) and a batcher of their own. */
  readonly observe: {
    readonly ipLimiter: RateLimit;
    readonly netLimiter: RateLimit;
    readonly clientLimiter: RateLimit;
    readonly batcher: Batcher<StoredObservation, ObservationResult>;
  };
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
const OBSERVATIONS = '/v1/observations';
/** The routes only extensions (and scripts) post to, with what they take, for the answers' wording. */
const POSTS: ReadonlyMap<string, string> = new Map([
  [REPORTS, 'reports'],
  [OBSERVATIONS, 'observations'],
]);

/** The origins of browser extensions: the only pages that may post reports and observations. */
const EXTENSION_ORIGIN = /^(chrome-extension|moz-extension|safari-web-extension):\/\/[A-Za-z0-9._-]{1,128}$/;

/**
 * What a request's Origin allows on the posting routes: none (no Origin: a script, accepted), an
 * extension (its origin echoed in CORS, never `*`), or forbidden (a web page, `null` included).
 */
export function reportOrigin(
  origin: string | undefined,
): { kind: 'none' } | { kind: 'extension'; origin: string } | { kind: 'forbidden' } {
  if (origin === undefined) return { kind: 'none' };
  return EXTENSION_ORIGIN.test(origin) ? { kind: 'extension', origin } : { kind: 'forbidden' };
}

/** CORS headers for an answer on `url`: the feed and health are open to all; posts to extensions. */
function corsFor(req: FastifyRequest): Record<string, string> {
  if (!POSTS.has(req.url.split('?')[0] ?? '')) return CORS;
  const origin = reportOrigin(req.headers.origin);
  return origin.kind === 'extension'
    ? { 'access-control-allow-origin': origin.origin, vary: 'origin' }
    : { vary: 'origin' };
}
// Bodies go out as bytes: Fastify would add "; charset=utf-8" to a string's content type.
const COUNTED_BODY = Buffer.from(JSON.stringify({ counted: true }));
const NOT_COUNTED_BODY = Buffer.from(JSON.stringify({ counted: false }));
const DUPLICATE_BODY = Buffer.from(JSON.stringify({ counted: false, reason: 'duplicate' }));
const HEALTHY_BODY = Buffer.from(JSON.stringify({ ok: true }));
const ROUTES = {
  [REPORTS]: ['POST'],
  [OBSERVATIONS]: ['POST'],
  '/v1/feed': ['GET', 'HEAD'],
  '/healthz': ['GET', 'HEAD'],
} as const;
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

/** What a posting route takes ("reports", "observations"), for its answers' wording. */
const takes = (reply: FastifyReply): string => POSTS.get(reply.request.url.split('?')[0] ?? '') ?? 'reports';

function forbiddenOrigin(reply: FastifyReply): FastifyReply {
  return sendError(
    reply,
    403,
    'forbidden-origin',
    `origin: ${takes(reply)} are taken from browser extensions only, not from web pages`,
  );
}

function rateLimited(reply: FastifyReply, who: string, take: Exclude<Take, { ok: true }>): FastifyReply {
  return sendError(
    reply,
    429,
    'rate_limited',
    `too many ${takes(reply)} from this ${who}; retry in ${take.retryAfterSeconds} s`,
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

  app.setErrorHandler((error: { code?: string; statusCode?: number; message?: string }, req, reply) => {
    stats.rejected++;
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        // The rest of the body is not read: the connection goes with the answer.
        return sendError(reply, 413, 'too_large', `body: at most ${req.routeOptions.bodyLimit} bytes`, {
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
    if (POSTS.has(url)) {
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

  /**
   * Before the body is read: refuse a web page's Origin and anything while draining, and keep a flooding
   * address or network from costing a parse (each route takes from limiters of its own).
   */
  const guard =
    (ipLimiter: RateLimit, netLimiter: RateLimit) =>
    (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
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
      const byIp = ipLimiter.take(rateKey(address), now);
      const byNet = netLimiter.take(networkKey(address), now);
      if (!(byIp instanceof Promise) && !(byNet instanceof Promise)) return judge(byIp, byNet);
      // A shared limit (in the database) answers later, or not at all while the database is away.
      Promise.all([byIp, byNet]).then(
        ([ip, net]) => judge(ip, net),
        () => {
          unavailable(reply, 'storage: the rate limit could not be checked');
          done();
        },
      );
    };

  app.post(REPORTS, {
    onRequest: guard(deps.ipLimiter, deps.netLimiter),
    handler: (req, reply) => handleReport(req, reply),
  });

  app.post(OBSERVATIONS, {
    bodyLimit: OBSERVATION_MAX_BYTES,
    onRequest: guard(deps.observe.ipLimiter, deps.observe.netLimiter),
    handler: (req, reply) => handleObservation(req, reply),
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

  /**
   * The body as `schema` reads it, or null once an error was answered: 415 undeclared, 400 not JSON, not
   * an object or failing the schema (`invalid`, naming the field).
   */
  function readBody<T>(
    req: FastifyRequest,
    reply: FastifyReply,
    schema: v.GenericSchema<unknown, T>,
    invalid: string,
  ): T | null {
    const body = req.body;
    const refuse = (status: number, error: string, message: string): null => {
      stats.rejected++;
      sendError(reply, status, error, message);
      return null;
    };
    // No content-type and no body: nothing declared JSON.
    if (!Buffer.isBuffer(body))
      return refuse(415, 'unsupported_media_type', 'content-type: must be application/json');
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return refuse(400, 'invalid_json', 'body: not valid JSON');
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      return refuse(400, invalid, 'body: must be a JSON object');
    }
    const parsed = v.safeParse(schema, json);
    return parsed.success ? parsed.output : refuse(400, invalid, describeIssue(parsed.issues));
  }

  /**
   * Takes a token from the client's bucket, then `submit`s (given the time and the sender's address) to
   * a batcher; answers the commit's result, or null once an error was answered (429, 503).
   */
  async function commit<R>(
    reply: FastifyReply,
    client: string,
    clientLimiter: RateLimit,
    submit: (at: number, address: string) => Promise<R>,
  ): Promise<R | null> {
    const t = deps.now();
    let byClient: Take;
    try {
      byClient = await clientLimiter.take(client, t);
    } catch {
      unavailable(reply, 'storage: the rate limit could not be checked');
      return null;
    }
    if (!byClient.ok) {
      stats.rateLimited++;
      rateLimited(reply, 'client', byClient);
      return null;
    }
    try {
      return await submit(t, addressOf(reply.request));
    } catch {
      unavailable(reply, `storage: the ${takes(reply).slice(0, -1)} could not be stored`);
      return null;
    }
  }

  async function handleReport(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const report = readBody(req, reply, reportSchema, 'invalid_report');
    if (!report) return reply;
    const result = await commit(reply, report.client, deps.clientLimiter, async (at, address) =>
      deps.batcher.submit(await reportRecord(deps, report, address, at)),
    );
    if (!result) return reply;
    if (result.counted) stats.counted++;
    else stats.duplicate++;
    return sendJson(reply, 202, result.counted ? COUNTED_BODY : DUPLICATE_BODY);
  }

  async function handleObservation(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const observation = readBody(req, reply, observationSchema, 'invalid_observation');
    if (!observation) return reply;
    const { observe } = deps;
    const result = await commit(reply, observation.client, observe.clientLimiter, async (at, address) =>
      observe.batcher.submit(await observationRecord(deps, observation, address, at)),
    );
    if (!result) return reply;
    if (result.counted) stats.observationsCounted++;
    else stats.observationsNotCounted++;
    return sendJson(reply, 202, result.counted ? COUNTED_BODY : NOT_COUNTED_BODY);
  }

  return app;
}
