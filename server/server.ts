// The feed server's lifecycle: open the store, start the group-commit batchers (reports, observations),
// the cached feed, the rate limiters and the pruning timer, listen; on close stop accepting, answer the
// requests in flight, commit what is pending and close the store. The routes are in app.ts.

import type { AddressInfo } from 'node:net';
import { buildApp, type ServerStats } from './app';
import { Batcher } from './batcher';
import { FeedCache, type ObserveOptions } from './feed-cache';
import { type Limiters, makeInstanceState } from './instance-state';
import { errorText, jsonLogger, type Logger } from './log';
import { openStorage } from './storage/open';
import type {
  FeedStorage,
  ObservationResult,
  ReportResult,
  StoredObservation,
  StoredReport,
} from './storage/types';
import { TRUST_NONE, type TrustProxy } from './trust-proxy';

export interface ServerOptions {
  /** TCP port; 0 picks a free one (see RunningServer.port). Default 8787. */
  readonly port?: number;
  /** Listening address; default all interfaces. */
  readonly host?: string;
  /** SQLite file path (or PostgreSQL URL) to open; ignored when `storage` is given. */
  readonly db?: string;
  /** PostgreSQL: most connections this instance opens (default 10). */
  readonly poolSize?: number;
  /** An already open store; close() then leaves it open. */
  readonly storage?: FeedStorage;
  /**
   * Behind a CDN or reverse proxy: which X-Forwarded-For entries to believe (a hop count or a list of
   * proxy addresses; see trust-proxy.ts). Default: none, the socket's address.
   */
  readonly trustProxy?: TrustProxy;
  /** The clock (ms since the epoch); tests move it. */
  readonly now?: () => number;
  /** Group commit: a batch commits at this many reports ... */
  readonly batchMaxItems?: number;
  /** ... or this long after its first report. */
  readonly batchMaxDelayMs?: number;
  /** The cached feed document is rebuilt at most this often. */
  readonly feedRefreshMs?: number;
  /** Reports (and, in buckets of their own, observations) per minute per address (IPv6: per /64); 0 = no limit. */
  readonly ipPerMinute?: number;
  /** Reports (and observations) per minute per network (IPv4 /24, IPv6 /48); 0 = no limit. */
  readonly netPerMinute?: number;
  /** Reports (and observations) per minute per client id; 0 = no limit. */
  readonly clientPerMinute?: number;
  /** Observations per minute wanted across all instances; the feed's sample keeps them near it. */
  readonly observeTarget?: number;
  /** Browsers wait at random up to this many seconds before sending a change (the feed's hint). */
  readonly observeSpreadSeconds?: number;
  /** Most addresses and most client ids the rate limiters track at once. */
  readonly rateLimitKeys?: number;
  /** Pruning runs at start and then this often; 0 = only at start. */
  readonly pruneIntervalMs?: number;
  /** A stats line is logged this often when anything happened; 0 = never. */
  readonly statsIntervalMs?: number;
  /** close() waits this long for requests already being handled. */
  readonly drainTimeoutMs?: number;
  readonly log?: Logger;
}

export const DEFAULTS = Object.freeze({
  port: 8787,
  batchMaxItems: 256,
  batchMaxDelayMs: 5,
  feedRefreshMs: 5000,
  ipPerMinute: 30,
  netPerMinute: 120,
  clientPerMinute: 10,
  observeTarget: 6000,
  observeSpreadSeconds: 60,
  rateLimitKeys: 100_000,
  // Raw reports are read only within the 30-minute dedupe window and tallies only in their bucket.
  pruneIntervalMs: 15 * 60_000,
  statsIntervalMs: 60_000,
  drainTimeoutMs: 10_000,
});

export type { ServerStats };

export interface RunningServer {
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly storage: FeedStorage;
  readonly stats: Readonly<ServerStats>;
  /** Stops accepting, finishes requests in flight, commits pending reports, closes the store. */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const opt = { ...DEFAULTS, ...options };
  const log = options.log ?? jsonLogger;
  const now = options.now ?? Date.now;
  const ownsStorage = !options.storage;
  const storage =
    options.storage ??
    (await openStorage(options.db ?? './data/feed.sqlite', { now, poolSize: options.poolSize }));

  const stats: ServerStats = {
    counted: 0,
    duplicate: 0,
    rateLimited: 0,
    forbiddenOrigin: 0,
    observationsCounted: 0,
    observationsNotCounted: 0,
    rejected: 0,
    failed: 0,
    batches: 0,
    feedServed: 0,
    feedNotModified: 0,
  };
  // In memory for one process (SQLite); in the database when instances share it (PostgreSQL).
  const instance = makeInstanceState(storage, { ...opt, now });
  const { ipLimiter, netLimiter, clientLimiter } = instance;
  const onBatch =
    (what: string) =>
    (size: number, ms: number, error?: unknown): void => {
      stats.batches++;
      if (error !== undefined) {
        stats.failed += size;
        log('batch_failed', { [what]: size, ms: Math.round(ms), error: errorText(error) }, 'error');
      }
    };
  const batching = { maxItems: opt.batchMaxItems, maxDelayMs: opt.batchMaxDelayMs };
  const batcher = new Batcher<StoredReport, ReportResult>(
    (batch) => storage.addReports(batch),
    batching,
    onBatch('reports'),
  );
  const observations = new Batcher<StoredObservation, ObservationResult>(
    (batch) => storage.addObservations(batch),
    batching,
    onBatch('observations'),
  );
  const observe: ObserveOptions = { target: opt.observeTarget, spreadSeconds: opt.observeSpreadSeconds };
  const feed = new FeedCache(
    storage,
    opt.feedRefreshMs,
    now,
    (error) => log('feed_build_failed', { error: errorText(error) }, 'error'),
    observe,
  );
  let draining = false;
  const app = buildApp({
    now,
    trustProxy: options.trustProxy ?? TRUST_NONE,
    clientKey: storage.clientKey,
    salt: instance.salt,
    healthy: instance.healthy,
    ipLimiter,
    netLimiter,
    clientLimiter,
    batcher,
    observe: { ...instance.observe, batcher: observations },
    feed,
    stats,
    log,
    draining: () => draining,
  });

  try {
    await app.listen({ port: opt.port, host: options.host ?? '::' });
  } catch (error) {
    await instance.close();
    if (ownsStorage) await storage.close();
    throw error;
  }
  const port = (app.server.address() as AddressInfo).port;

  const prune = async (): Promise<void> => {
    try {
      const removed = await storage.prune(now());
      if (Object.values(removed).some((n) => n > 0)) log('pruned', { ...removed });
    } catch (error) {
      if (!draining) log('prune_failed', { error: errorText(error) }, 'error');
    }
  };
  let pruning: Promise<void> = prune();
  const pruneTimer =
    opt.pruneIntervalMs > 0
      ? setInterval(() => {
          pruning = pruning.then(prune);
        }, opt.pruneIntervalMs).unref()
      : null;
  let logged = JSON.stringify(stats);
  // Keys tracked in this process (shared limiters keep theirs in the database and report 0).
  const keys = (l: Limiters): number => l.ipLimiter.size + l.netLimiter.size + l.clientLimiter.size;
  const statsTimer =
    opt.statsIntervalMs > 0
      ? setInterval(() => {
          const current = JSON.stringify(stats);
          if (current !== logged)
            log('stats', { ...stats, rateLimitKeys: keys(instance) + keys(instance.observe) });
          logged = current;
        }, opt.statsIntervalMs).unref()
      : null;

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      draining = true;
      if (pruneTimer) clearInterval(pruneTimer);
      if (statsTimer) clearInterval(statsTimer);
      // Requests already being handled finish (their reports are committed and answered); a client that
      // holds a request open longer than the drain timeout is cut off.
      const cutOff = setTimeout(() => app.server.closeAllConnections(), opt.drainTimeoutMs);
      try {
        await app.close();
      } finally {
        clearTimeout(cutOff);
      }
      // Whatever is still waiting in the batchers is committed.
      await Promise.all([batcher.drain(), observations.drain()]);
      await instance.close();
      await pruning;
      if (ownsStorage) await storage.close();
      log('stopped', { ...stats });
    })();
    return closing;
  };

  return { port, url: `http://127.0.0.1:${port}`, storage, stats, close };
}
