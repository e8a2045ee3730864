// The feed server of the simulated crowd, without HTTP but with everything that decides: its storage
// (SQLite in memory), its instance state (the observations' rate limits per address, network and
// client, the daily address salt), the rows built as the route builds them (server/post-record.ts),
// its cached feed document rebuilt at its refresh period with the probes and the observe hints
// (server/feed-cache.ts), the answers it gives to a read (server/feed-http.ts), and its pruning.
// Browsers read the document through a CDN edge that keeps it for the answer's max-age, as deployed
// (server/README.md, the read path behind a CDN). All on the virtual clock.

import * as v from 'valibot';
import { type CachedFeed, FeedCache } from '../server/feed-cache';
import { FeedAnswers } from '../server/feed-http';
import { makeInstanceState } from '../server/instance-state';
import { observationRecord } from '../server/post-record';
import { networkKey, rateKey } from '../server/privacy';
import type { Take } from '../server/rate-limit';
import { DEFAULTS } from '../server/server';
import { openSqliteStorage } from '../server/storage/sqlite';
import type { FeedStorage } from '../server/storage/types';
import { type FeedDocument, observationSchema } from '../src/shared/feed';
import { SIM_EPOCH } from './simulate';
import type { VirtualTime } from './virtual-time';

export interface CrowdServerOptions {
  /** Observations a minute wanted (the sample keeps them near it); default the server's. */
  readonly observeTarget?: number;
  /** Sees each document the server builds with new content, parsed, at the virtual time it was built. */
  readonly onDocument?: (doc: FeedDocument, at: number) => void;
}

export interface CrowdServerStats {
  posts: number;
  /** Body bytes of every post. */
  bodyBytes: number;
  counted: number;
  /** Reads of the feed at the CDN edge. */
  edgeReads: number;
  /** How long the edge keeps a document: the max-age of the origin's answers. */
  maxAgeSeconds: number;
}

export interface CrowdServer {
  readonly storage: FeedStorage;
  readonly stats: CrowdServerStats;
  /** A browser's request to the feed: `GET /v1/feed` (through the CDN edge) or `POST /v1/observations`. */
  answer(path: string, init: RequestInit | undefined, address: string): Promise<Response>;
  /** The document as the origin serves it now (rebuilt first when older than the refresh period). */
  origin(): Promise<CachedFeed>;
  close(): Promise<void>;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

export async function startCrowdServer(
  vt: VirtualTime,
  options: CrowdServerOptions = {},
): Promise<CrowdServer> {
  const now = () => SIM_EPOCH + vt.now;
  const storage = await openSqliteStorage(':memory:', { now });
  const instance = makeInstanceState(storage, { ...DEFAULTS, now });
  const hashing = { clientKey: storage.clientKey, salt: instance.salt };
  const limits = instance.observe;
  const cache = new FeedCache(
    storage,
    DEFAULTS.feedRefreshMs,
    now,
    (error) => {
      throw error;
    },
    { target: options.observeTarget ?? DEFAULTS.observeTarget, spreadSeconds: DEFAULTS.observeSpreadSeconds },
  );
  const answers = new FeedAnswers();
  const stats: CrowdServerStats = {
    posts: 0,
    bodyBytes: 0,
    counted: 0,
    edgeReads: 0,
    maxAgeSeconds: 0,
  };
  let seenHash: string | null = null;
  const origin = async () => {
    const doc = await cache.get();
    if (doc.hash !== seenHash) {
      seenHash = doc.hash;
      options.onDocument?.(JSON.parse(doc.body.toString('utf8')) as FeedDocument, doc.builtAt - SIM_EPOCH);
    }
    return doc;
  };

  // The CDN edge: keeps the origin's answer for its max-age, then asks again.
  let edge: { doc: CachedFeed; until: number } | null = null;
  let revalidating: Promise<CachedFeed> | null = null;
  const maxAgeOf = (doc: CachedFeed) =>
    Number(/max-age=(\d+)/.exec(String(answers.answer(doc, {}).headers['cache-control']))?.[1] ?? 0);
  const edgeCopy = (): Promise<CachedFeed> => {
    if (edge && vt.now < edge.until) return Promise.resolve(edge.doc);
    // Readers that come while the edge asks the origin wait for that one answer.
    revalidating ??= origin().then((doc) => {
      stats.maxAgeSeconds = maxAgeOf(doc);
      edge = { doc, until: vt.now + stats.maxAgeSeconds * 1000 };
      revalidating = null;
      return doc;
    });
    return revalidating;
  };
  const read = async (init: RequestInit | undefined) => {
    stats.edgeReads++;
    const etag = new Headers(init?.headers).get('if-none-match') ?? undefined;
    const answer = answers.answer(await edgeCopy(), { 'if-none-match': etag });
    const headers = Object.fromEntries(Object.entries(answer.headers).map(([k, x]) => [k, String(x)]));
    return new Response(answer.body === null ? null : new Uint8Array(answer.body), {
      status: answer.status,
      headers,
    });
  };

  // POST /v1/observations as the route takes it: the address's and the network's limits first, then the
  // body, the client's limit, and the row the route stores (one per post: the route's batcher only
  // groups posts into one transaction).
  const post = async (body: string, address: string) => {
    stats.posts++;
    stats.bodyBytes += Buffer.byteLength(body);
    const at = now();
    const refuse = (status: number, take?: Take): Response => {
      const retry = take && !take.ok ? { 'retry-after': String(take.retryAfterSeconds) } : undefined;
      return json(status, { error: status === 429 ? 'rate_limited' : 'invalid_observation' }, retry);
    };
    const [byIp, byNet] = await Promise.all([
      limits.ipLimiter.take(rateKey(address), at),
      limits.netLimiter.take(networkKey(address), at),
    ]);
    if (!byIp.ok) return refuse(429, byIp);
    if (!byNet.ok) return refuse(429, byNet);
    let raw: unknown;
    try {
      raw = JSON.parse(body);
    } catch {
      return refuse(400);
    }
    const parsed = v.safeParse(observationSchema, raw);
    if (!parsed.success) return refuse(400);
    const byClient = await limits.clientLimiter.take(parsed.output.client, at);
    if (!byClient.ok) return refuse(429, byClient);
    const [result] = await storage.addObservations([
      await observationRecord(hashing, parsed.output, address, at),
    ]);
    if (result?.counted) stats.counted++;
    return json(202, { counted: result?.counted === true });
  };

  // Pruning as the server runs it: at start, then every pruneIntervalMs.
  let pruning = true;
  const prune = () => {
    if (!pruning) return;
    void storage.prune(now());
    vt.setTimer(prune, DEFAULTS.pruneIntervalMs);
  };
  prune();

  return {
    storage,
    stats,
    origin,
    answer(path, init, address) {
      if (path === '/v1/feed') return read(init);
      if (path === '/v1/observations' && init?.method === 'POST') return post(String(init.body), address);
      return Promise.resolve(json(404, { error: 'not_found' }));
    },
    async close() {
      pruning = false;
      await instance.close();
      await storage.close();
    },
  };
}
