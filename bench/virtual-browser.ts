import { createHmac } from 'node:crypto';
import { createChecker } from '../src/background/checker';
import { type ObserverDeps, observerFor, postObservation } from '../src/background/observe-send';
import { clientIdFromMac, clientIdMessage, drawFromMac, sampleDrawMessage } from '../src/core/client-id';
import type { Settings } from '../src/core/settings';
import { type CheckRecord, INITIAL_RECORD } from '../src/core/step';
import { DEFAULT_THRESHOLDS } from '../src/core/thresholds';
import type { Fetch } from '../src/sources/http';
import { SIM_EPOCH, wording } from './simulate';
import type { VirtualTime } from './virtual-time';

const MIN = 60_000;
/** Chrome fires an alarm 30 s after it is set at the soonest: so does the observation wake-up here. */
export const CHROME_ALARM_MIN_MS = 30_000;

export interface VirtualBrowserOptions {
  readonly vt: VirtualTime;
  /** Everything this browser asks of the network: probes, controls, status pages and the feed. */
  readonly fetch: Fetch;
  readonly settings: Settings;
  /** Who it is to the feed: its client id, languages (the country) and daily sampling draw. */
  readonly identity: ObserverDeps;
  /** Fresh random numbers in [0, 1), for the planner's jitter. */
  readonly random: () => number;
  /** Host permissions the user granted (the feed's, for conditional reads); default none. */
  readonly canRead?: (url: string) => boolean;
  /**
   * Alarms (the next check, the observation wake-up) fire on this grid, rounded up: a crowd's checks
   * then meet at the same instants and share the clock's turns. Default 1 ms (as set).
   */
  readonly alarmGridMs?: number;
  /** Sees every record the browser saves, after a check or after a post, at the time of the save. */
  readonly onSave?: (record: CheckRecord, after: 'check' | 'post') => void;
}

export interface VirtualBrowser {
  /** What the browser has stored now. */
  readonly record: CheckRecord;
  /** Opens it: its first check at virtual time `at`; from then on it schedules itself on the clock. */
  start(at: number): void;
  /** Closes it: no alarm fires until it is started again (what it stored stays). */
  close(): void;
}

/**
 * One browser with the extension installed, on a clock shared with others: the background's own
 * runner (src/background/checker.ts: load → the product's sources → the one step → save → the post
 * and its wake-up), storage in memory, the alarms as timers on the virtual clock.
 */
export function virtualBrowser(options: VirtualBrowserOptions): VirtualBrowser {
  const { vt, settings } = options;
  const grid = Math.max(1, options.alarmGridMs ?? 1);
  const alarmAt = (at: number) => Math.ceil(at / grid) * grid;
  const env = { fetch: options.fetch, clock: vt.clock, setTimer: vt.setTimer, sleep: vt.sleep };
  let record: CheckRecord = INITIAL_RECORD;
  let cancelCheck: (() => void) | null = null;
  let cancelWake: (() => void) | null = null;
  const saved = (next: CheckRecord, after: 'check' | 'post') => {
    record = next;
    options.onSave?.(record, after);
  };
  let open = false;
  const checkAt = (at: number) => {
    cancelCheck?.();
    cancelCheck = open ? vt.setTimer(() => void checker.check(), alarmAt(at) - vt.now) : null;
  };
  const canRead = options.canRead ?? (() => false);
  const checker = createChecker({
    load: async () => ({ ...record, settings, checking: null, repairedSettings: [], mutes: {} }),
    markChecking: async () => undefined,
    saveCheck: async (next) => saved(next, 'check'),
    env,
    now: () => SIM_EPOCH + vt.now,
    onLine: () => true,
    canRead: async () => canRead,
    scheduleCheck: async (delaySeconds) => checkAt(vt.now + delaySeconds * 1000),
    notify: async () => undefined,
    localMinutes: () => Math.floor(vt.now / MIN) % 1440,
    wording: () => wording,
    thresholds: DEFAULT_THRESHOLDS,
    observe: {
      observer: (s, now) => observerFor(options.identity, s, now),
      jitter: options.random,
      post: (url, observation) => postObservation(env, DEFAULT_THRESHOLDS.timeoutMs * 2, url, observation),
      save: async (state) => saved({ ...record, observe: state }, 'post'),
      wake: async (at) => {
        cancelWake?.();
        cancelWake = null;
        if (at === null || !open) return;
        const due = alarmAt(Math.max(at - SIM_EPOCH, vt.now + CHROME_ALARM_MIN_MS));
        cancelWake = vt.setTimer(() => void checker.sendPending(), due - vt.now);
      },
    },
  });
  return {
    get record() {
      return record;
    },
    start(at) {
      open = true;
      checkAt(at);
    },
    close() {
      open = false;
      cancelCheck?.();
      cancelWake?.();
      cancelCheck = cancelWake = null;
    },
  };
}

/**
 * A browser's identity from its local secret, derived as src/platform/client-id.ts derives it (HMAC-
 * SHA-256 of the feed's origin and the UTC day; the day's sampling draw from the same secret).
 */
export function secretIdentity(secret: Uint8Array, languages: readonly string[]): ObserverDeps {
  // Asked at every check, the same few texts all day: each is signed once.
  const signed = new Map<string, Uint8Array>();
  const mac = (text: string) => {
    let value = signed.get(text);
    if (!value) {
      if (signed.size > 8) signed.clear();
      value = new Uint8Array(createHmac('sha256', secret).update(text).digest());
      signed.set(text, value);
    }
    return value;
  };
  return {
    clientId: async (feedUrl, now) => clientIdFromMac(mac(clientIdMessage(feedUrl, now))),
    sampleDraw: async (now) => drawFromMac(mac(sampleDrawMessage(now))),
    languages: () => languages,
  };
}

/**
 * The network as a browser of the crowd sees it: the feed's own URLs answered by `feed` after
 * `latencyMs` on the virtual clock, everything else by `network`.
 */
export function withFeed(
  vt: VirtualTime,
  feedUrl: string,
  feed: (path: string, init: RequestInit | undefined) => Promise<Response>,
  network: Fetch,
  latencyMs = 80,
): Fetch {
  const base = `${feedUrl}/`;
  return (input, init) => {
    const url = String(input);
    if (!url.startsWith(base)) return network(input, init);
    return new Promise<Response>((resolve, reject) => {
      vt.setTimer(() => feed(url.slice(feedUrl.length), init).then(resolve, reject), latencyMs);
    });
  };
}
