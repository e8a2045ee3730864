// The outages the simulated crowd lives through (bench/crowd-run.ts), one run each, and what the feed and
// the browsers said of them: a global outage of WhatsApp, WhatsApp failing in one country (IT), and one
// network that can't reach it. Each run is a fresh world (crowd, server, clock) from its seed: the
// browsers start at random phases, and the outage starts at a random moment once every browser has
// told the feed what it sees (2.5–3.5 minutes in: a browser first posts within 2 minutes of its start).

import type { ServiceState } from '../src/core/types';
import type { FeedDocument } from '../src/shared/feed';
import { runCrowd } from './crowd-run';
import { type CrowdBrowser, makeCrowd } from './crowd-world';
import { random } from './simulate';

const MIN = 60_000;
const WHATSAPP_HOST = 'web.whatsapp.com';
/** Longer than any one check takes (five attempts a second apart, each within its 4 s timeout). */
const CHECK_MAX_MS = 30_000;

export interface CrowdSize {
  readonly browsers: number;
  readonly networks: number;
}

/** How one run went; times are ms from the outage's start. */
export interface OutageRun {
  /** When the feed's document first said it (null: not within the run). */
  readonly feed: number | null;
  /** When each affected browser's verdict first said it (null: not within the run). */
  readonly browsers: readonly (number | null)[];
  /** Documents (during the whole run) that said something else: `everyone` for a country, any for a network. */
  readonly wrongDocuments: number;
  /** Browser verdicts (any browser) that said something wrong, as above. */
  readonly wrongVerdicts: number;
  /** Posts the browsers made per minute, from the outage's start. */
  readonly postsByMinute: readonly number[];
  /** Feed reads per browser per minute after the outage's start. */
  readonly readsPerMinuteAfter: number;
  /** Body bytes of a post, on average. */
  readonly bodyBytesPerPost: number;
  /** The max-age of the feed's answers, which the CDN edge honoured. */
  readonly maxAgeSeconds: number;
}

interface Watch {
  /** Whether a document says what the run waits for. */
  readonly feedSays: (doc: FeedDocument) => boolean;
  /** Whether a document says something wrong. */
  readonly feedWrong: (doc: FeedDocument) => boolean;
  /** Whether the browser is one whose verdict should say it. */
  readonly affected: (b: CrowdBrowser) => boolean;
  readonly browserSays: (s: ServiceState | undefined) => boolean;
  readonly browserWrong: (s: ServiceState | undefined, b: CrowdBrowser) => boolean;
  /** Sees every check of an affected browser after the outage began (`after`: ms since). */
  readonly check?: (s: ServiceState | undefined, after: number) => void;
  /**
   * The run may end once the feed and 99 % of the affected browsers say it, and this long after the
   * outage began (null: it runs its whole length).
   */
  readonly endAfterMs: number | null;
}

async function outageRun(
  size: CrowdSize,
  seed: number,
  fails: (b: CrowdBrowser, outageAt: number, now: number) => boolean,
  watch: Watch,
  afterMs: number,
): Promise<OutageRun> {
  const crowd = makeCrowd({ ...size, seed });
  const outageAt = 2.5 * MIN + Math.floor(random(seed * 7919)() * MIN);
  const affected = crowd.browsers.filter(watch.affected);
  let feed: number | null = null;
  const said = new Map<number, number>();
  let wrongDocuments = 0;
  let wrongVerdicts = 0;
  const postsByMinute: number[] = [];
  let readsAtOutage = 0;
  const result = await runCrowd({
    crowd,
    seed,
    durationMs: outageAt + afterMs,
    fails: (b, host, now) => host === WHATSAPP_HOST && fails(b, outageAt, now),
    done: (now) =>
      watch.endAfterMs !== null &&
      now >= outageAt + watch.endAfterMs &&
      feed !== null &&
      said.size >= 0.99 * affected.length,
    onDocument: (doc, at) => {
      if (watch.feedWrong(doc)) wrongDocuments++;
      if (feed === null && at >= outageAt && watch.feedSays(doc)) feed = at - outageAt;
    },
    onSave: (b, record, at, after) => {
      if (after === 'post' && at >= outageAt) {
        const minute = Math.floor((at - outageAt) / MIN);
        postsByMinute[minute] = (postsByMinute[minute] ?? 0) + 1;
      }
      if (after !== 'check') return;
      const s = record.state.services.whatsapp;
      if (watch.browserWrong(s, b)) wrongVerdicts++;
      if (at < outageAt || !watch.affected(b)) return;
      watch.check?.(s, at - outageAt);
      if (!said.has(b.index) && watch.browserSays(s)) said.set(b.index, at - outageAt);
    },
    onPoll: (server, now) => {
      if (now <= outageAt) readsAtOutage = server.stats.edgeReads;
    },
  });
  const reads = result.server.edgeReads;
  const perMinute = (n: number, ms: number) => n / crowd.browsers.length / (ms / MIN);
  return {
    feed,
    browsers: affected.map((b) => said.get(b.index) ?? null),
    wrongDocuments,
    wrongVerdicts,
    postsByMinute: Array.from(postsByMinute, (n) => n ?? 0),
    readsPerMinuteAfter: perMinute(reads - readsAtOutage, result.endedAt - outageAt),
    bodyBytesPerPost: result.server.bodyBytes / Math.max(1, result.server.posts),
    maxAgeSeconds: result.server.maxAgeSeconds,
  };
}

const probesOf = (doc: FeedDocument) => doc.services.whatsapp?.probes;
const scopeKind = (s: ServiceState | undefined) => s?.scope?.kind;

/** WhatsApp fails for every browser from a random moment: when do the feed and the browsers say "everyone"? */
export function globalOutage(size: CrowdSize, seed: number): Promise<OutageRun> {
  return outageRun(
    size,
    seed,
    (_b, at, now) => now >= at,
    {
      feedSays: (doc) => probesOf(doc)?.scope === 'everyone',
      feedWrong: (doc) => probesOf(doc)?.scope === 'country',
      affected: () => true,
      browserSays: (s) => scopeKind(s) === 'everyone' && s?.status === 'down',
      browserWrong: (s) => scopeKind(s) === 'country',
      // The first two minutes whole: they bring nearly all the posts of the change (the sizing reads them).
      endAfterMs: 2 * MIN,
    },
    5 * MIN,
  );
}

/** WhatsApp fails only in Italy: the feed must say `country` IT, never `everyone`. */
export function countryOutage(size: CrowdSize, seed: number, country = 'IT'): Promise<OutageRun> {
  return outageRun(
    size,
    seed,
    (b, at, now) => now >= at && b.network.country === country,
    {
      feedSays: (doc) => probesOf(doc)?.scope === 'country' && probesOf(doc)?.scopeCountry === country,
      feedWrong: (doc) =>
        probesOf(doc)?.scope === 'everyone' ||
        (probesOf(doc)?.scope === 'country' && probesOf(doc)?.scopeCountry !== country),
      affected: (b) => b.network.country === country,
      browserSays: (s) => scopeKind(s) === 'country' && s?.scope?.country === country,
      browserWrong: (s) =>
        scopeKind(s) === 'everyone' || (scopeKind(s) === 'country' && s?.scope?.country !== country),
      // Half a minute more once it is said, to see that it holds.
      endAfterMs: 2.5 * MIN,
    },
    5 * MIN,
  );
}

/** What the browsers of the broken network said, check by check, after their network broke. */
export interface BrokenNetworkRun extends OutageRun {
  readonly brokenBrowsers: number;
  /** Their checks after the failure began, and how many of them said what. */
  readonly checksAfter: number;
  readonly onlyYou: number;
  readonly down: number;
}

/**
 * One network (the first browser's /24) can't reach WhatsApp, every other network can: its browsers
 * must say "only your network" (degraded, cause local, scope network), never down; the feed never
 * `everyone` or `country`. Six minutes after the failure.
 */
export async function brokenNetwork(size: CrowdSize, seed: number): Promise<BrokenNetworkRun> {
  let broken: CrowdBrowser['network'] | null = null;
  let checksAfter = 0;
  let onlyYou = 0;
  let down = 0;
  const isBroken = (b: CrowdBrowser) => {
    broken ??= b.network;
    return b.network === broken;
  };
  const onlyYouSaid = (s: ServiceState | undefined) =>
    s?.status === 'degraded' && s.cause === 'local' && scopeKind(s) === 'network';
  const run = await outageRun(
    size,
    seed,
    (b, at, now) => now >= at && isBroken(b),
    {
      feedSays: () => false,
      feedWrong: (doc) => probesOf(doc)?.scope === 'everyone' || probesOf(doc)?.scope === 'country',
      affected: isBroken,
      browserSays: onlyYouSaid,
      browserWrong: (s) => scopeKind(s) === 'everyone' || scopeKind(s) === 'country',
      check: (s, after) => {
        // A check saved this long after the failure began started after it (one takes seconds).
        if (after < CHECK_MAX_MS) return;
        checksAfter++;
        if (s?.status === 'down') down++;
        if (onlyYouSaid(s)) onlyYou++;
      },
      endAfterMs: null,
    },
    6 * MIN,
  );
  return { ...run, brokenBrowsers: run.browsers.length, checksAfter, onlyYou, down };
}
