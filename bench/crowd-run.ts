// One run of the simulated crowd: every browser of the crowd runs the extension's real check (the
// background's runner around the product's sources and the one step, bench/virtual-browser.ts) with
// sharing on, against the simulated feed server (bench/crowd-server.ts), all on ONE virtual clock, in
// time order. Browsers' alarms fire on whole seconds and latencies come in steps of 10 ms, so the many
// checks due in the same instant run together and share the clock's turns.

import { DEFAULTS } from '../server/server';
import { DEFAULT_SETTINGS } from '../src/core/settings';
import type { CheckRecord } from '../src/core/step';
import type { FeedDocument } from '../src/shared/feed';
import { type CrowdServer, type CrowdServerStats, startCrowdServer } from './crowd-server';
import type { Crowd, CrowdBrowser } from './crowd-world';
import { healthyLatency, random, virtualFetch } from './simulate';
import { secretIdentity, type VirtualBrowser, virtualBrowser, withFeed } from './virtual-browser';
import { VirtualTime } from './virtual-time';

export const CROWD_FEED = 'https://feed.example.org';
const ALARM_GRID_MS = 1000;
const LATENCY_GRID_MS = 10;

/** Whether `browser`'s request to `host` fails at virtual time `now`: the scenario's outage. */
export type CrowdFailure = (browser: CrowdBrowser, host: string, now: number) => boolean;

export interface CrowdRunOptions {
  readonly crowd: Crowd;
  readonly seed: number;
  /** The run ends at this virtual time (ms)… */
  readonly durationMs: number;
  /** …or earlier, once this says so (asked at every poll). */
  readonly done?: (now: number) => boolean;
  readonly fails?: CrowdFailure;
  /** Share of all probe attempts lost at random, everywhere (default 0). */
  readonly loss?: number;
  readonly observeTarget?: number;
  /**
   * The origin's document is also read this often (default the server's refresh period), so what
   * the feed says is known at that resolution; the CDN's reads alone are every max-age.
   */
  readonly pollMs?: number;
  /** Every document with new content the server builds, parsed, at the virtual time it was built. */
  readonly onDocument?: (doc: FeedDocument, at: number) => void;
  /** Every record a browser saves, after a check or after a post. */
  readonly onSave?: (browser: CrowdBrowser, record: CheckRecord, at: number, after: 'check' | 'post') => void;
  /** At every poll (after the document was read). */
  readonly onPoll?: (server: CrowdServer, now: number) => Promise<void> | void;
  /** Opens and closes each browser (default: opened at its phase, never closed). */
  readonly presence?: (b: CrowdBrowser, browser: VirtualBrowser, vt: VirtualTime) => void;
  /** Others on the clock (a griefer), started with the crowd. */
  readonly actors?: readonly ((vt: VirtualTime, server: CrowdServer) => void)[];
}

export interface CrowdRunResult {
  readonly endedAt: number;
  readonly checks: number;
  readonly server: Readonly<CrowdServerStats>;
}

export async function runCrowd(options: CrowdRunOptions): Promise<CrowdRunResult> {
  const vt = new VirtualTime();
  const rnd = random(options.seed);
  const server = await startCrowdServer(vt, {
    observeTarget: options.observeTarget,
    onDocument: options.onDocument,
  });
  const loss = options.loss ?? 0;
  const grid = (ms: number) => Math.max(LATENCY_GRID_MS, Math.round(ms / LATENCY_GRID_MS) * LATENCY_GRID_MS);
  let checks = 0;
  for (const b of options.crowd.browsers) {
    const network = virtualFetch(vt, (url, now) => {
      const failed = options.fails?.(b, new URL(url).hostname, now) === true || (loss > 0 && rnd() < loss);
      return failed
        ? { outcome: 'network', latencyMs: 30 }
        : { outcome: 'ok', latencyMs: grid(healthyLatency(rnd)) };
    });
    const browser = virtualBrowser({
      vt,
      fetch: withFeed(vt, CROWD_FEED, (path, init) => server.answer(path, init, b.address), network),
      settings: {
        ...DEFAULT_SETTINGS,
        feedUrl: CROWD_FEED,
        shareObservations: true,
        shareCountry: b.shareCountry,
      },
      identity: secretIdentity(b.secret, b.languages),
      random: rnd,
      // Conditional reads of the feed (its host permission granted): an unchanged document is a 304 on
      // the wire either way (the browser's HTTP cache revalidates it), and is not parsed again.
      canRead: (url) => url.startsWith(CROWD_FEED),
      alarmGridMs: ALARM_GRID_MS,
      onSave: (record, after) => {
        if (after === 'check') checks++;
        options.onSave?.(b, record, vt.now, after);
      },
    });
    if (options.presence) options.presence(b, browser, vt);
    else browser.start(b.phaseMs);
  }
  for (const actor of options.actors ?? []) actor(vt, server);

  const pollMs = options.pollMs ?? DEFAULTS.feedRefreshMs;
  const ended = new Promise<number>((resolve) => {
    const poll = async () => {
      await server.origin();
      await options.onPoll?.(server, vt.now);
      if (vt.now >= options.durationMs || options.done?.(vt.now)) resolve(vt.now);
      else vt.setTimer(() => void poll(), Math.min(pollMs, options.durationMs - vt.now));
    };
    vt.setTimer(() => void poll(), pollMs);
  });
  try {
    const endedAt = await vt.run(ended);
    return { endedAt, checks, server: { ...server.stats } };
  } finally {
    await server.close();
  }
}
