// Internet scale (issue 12, item 5): the request rate the feed server takes at 10 million opted-in
// browsers, in steady state and in the first minutes of a global outage, with and without the sample,
// from what the simulated crowd measured (the real planner's posts per browser, the real feed reads)
// and the server's own sampling rule (server/core/observe-sample.ts nextSample, run every feed rebuild
// on a minute-by-minute model of the load it would see). The arithmetic is written out in
// server/README.md (Sizing).

import { MINUTE_MS, nextSample, type ObserveMinute } from '../server/core/observe-sample';
import { DEFAULTS } from '../server/server';

export interface SizingInput {
  readonly users: number;
  /** Posts per browser per hour in steady state (measured: the simulated week's honest browsers). */
  readonly steadyPostsPerHour: number;
  /**
   * Share of browsers that post in each minute from the start of a global outage (measured: the global
   * outage runs, averaged), every browser in the sample.
   */
  readonly outagePostShares: readonly number[];
  /** Feed reads per browser per minute, in steady state and in a global outage (measured). */
  readonly readsPerMinuteSteady: number;
  readonly readsPerMinuteOutage: number;
  /** One post on the wire with its CORS preflight: request and answer bytes. */
  readonly postBytes: number;
  /** Observations one instance (one core) takes per CPU-second (the server bench). */
  readonly observationsPerCpuSecond: number;
  /** Observations a minute the server asks for (--observe-target). */
  readonly target: number;
  readonly cdnMaxAgeSeconds: number;
  /** Edge locations of the CDN, each keeping both encodings (identity and gzip). */
  readonly cdnEdges: number;
}

export interface Rates {
  /** Observation posts per second at the origin, and requests (each post with its preflight). */
  readonly posts: number;
  readonly requests: number;
  /** Megabits per second of requests and answers. */
  readonly mbps: number;
  /** CPU cores the posts take (preflights, which touch no database, not counted). */
  readonly cores: number;
}

export interface Sizing {
  /** The sample the server settles on in steady state. */
  readonly sample: number;
  readonly steady: { readonly without: Rates; readonly with: Rates };
  /** The busiest minute of an outage's start. */
  readonly outage: { readonly without: Rates; readonly with: Rates };
  /** Posts per second in each minute from the outage's start, with the sample, and the sample then. */
  readonly outageMinutes: readonly { readonly posts: number; readonly sample: number }[];
  /** Feed reads at the CDN per second, steady and in an outage, and the origin's revalidations per second. */
  readonly cdnReads: number;
  readonly cdnReadsOutage: number;
  readonly originRevalidations: number;
}

const REBUILD_MS = DEFAULTS.feedRefreshMs;
const WARM_MINUTES = 60;

export function sizing(input: SizingInput): Sizing {
  const rates = (postsPerSecond: number): Rates => ({
    posts: postsPerSecond,
    requests: 2 * postsPerSecond,
    mbps: (postsPerSecond * input.postBytes * 8) / 1e6,
    cores: postsPerSecond / input.observationsPerCpuSecond,
  });
  const steadyShare = input.steadyPostsPerHour / 60;
  // The server's log, minute by minute: observations counted (the browsers in the sample they last read,
  // a minute before) and the sample published (the last rebuild of the minute wins).
  const log = new Map<number, ObserveMinute>();
  const published = (minute: number) => log.get(minute)?.sample ?? 1;
  const shareAt = (m: number) => (m < 0 ? steadyShare : (input.outagePostShares[m] ?? steadyShare));
  const outageMinutes: { posts: number; sample: number }[] = [];
  for (let m = -WARM_MINUTES; m < input.outagePostShares.length; m++) {
    const minute = m * MINUTE_MS;
    const followed = published(minute - MINUTE_MS);
    const observations = input.users * followed * shareAt(m);
    log.set(minute, { minute, observations, sample: null });
    for (let t = minute; t < minute + MINUTE_MS; t += REBUILD_MS) {
      const sample = nextSample({
        now: t,
        minutes: [...log.values()],
        target: input.target,
        countingSince: -Infinity,
      });
      log.set(minute, { minute, observations, sample });
    }
    if (m >= 0) outageMinutes.push({ posts: observations / 60, sample: followed });
  }
  const sample = published(-2 * MINUTE_MS);
  const peakShare = Math.max(...input.outagePostShares);
  return {
    sample,
    steady: {
      without: rates((input.users * input.steadyPostsPerHour) / 3600),
      with: rates((input.users * sample * input.steadyPostsPerHour) / 3600),
    },
    outage: {
      without: rates((input.users * peakShare) / 60),
      with: rates(Math.max(...outageMinutes.map((m) => m.posts))),
    },
    outageMinutes,
    cdnReads: (input.users * input.readsPerMinuteSteady) / 60,
    cdnReadsOutage: (input.users * input.readsPerMinuteOutage) / 60,
    originRevalidations: (input.cdnEdges * 2) / input.cdnMaxAgeSeconds,
  };
}
