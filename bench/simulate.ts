import en from '../_locales/en/messages.json' with { type: 'json' };
import type { Notice } from '../src/core/notify';
import type { ServiceId } from '../src/core/services';
import { DEFAULT_SETTINGS, type Settings } from '../src/core/settings';
import { type CheckRecord, INITIAL_RECORD, step } from '../src/core/step';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../src/core/thresholds';
import { type MessageCatalog, translatorFor } from '../src/core/translate';
import type { MonitorState } from '../src/core/types';
import type { Fetch } from '../src/sources/http';
import { observeAll } from '../src/sources/registry';
import { VirtualTime } from './virtual-time';

/** Wall-clock time of virtual 0 (a Sunday, 00:00 UTC): what the checks' `now` counts from. */
export const SIM_EPOCH = Date.UTC(2026, 10, 1);
const MIN = 60_000;
export const wording = { t: translatorFor(en as MessageCatalog), locale: 'en' };

/** How the simulated network answers one request at virtual time `now`. */
export type NetworkModel = (
  url: string,
  now: number,
) => { outcome: 'ok' | 'network' | 'hang'; latencyMs: number };

export interface SimulatedCheck {
  readonly state: MonitorState;
  /** Virtual time when the next check is due. */
  readonly nextAt: number;
  /** What the extension would show as notifications after this check. */
  readonly notices: readonly Notice[];
}

export interface Simulation {
  readonly vt: VirtualTime;
  /** Everything a check keeps, as the extension stores it. */
  record: CheckRecord;
  requests: number;
  /** Runs one check at the current virtual time: the product's sources and its one step. */
  check(): Promise<SimulatedCheck>;
}

/**
 * The extension's check on a virtual clock: the same sources (retries, timeouts, parallel probes) and
 * the same pure step as the background (src/background/checker.ts), with the network played by `model`.
 */
export function createSimulation(
  model: NetworkModel,
  watched: readonly ServiceId[],
  intervalSeconds = 60,
  thresholds: Thresholds = DEFAULT_THRESHOLDS,
): Simulation {
  const vt = new VirtualTime();
  const settings: Settings = {
    ...DEFAULT_SETTINGS,
    watched,
    checkIntervalSeconds: intervalSeconds,
    notifications: true,
    reminderMinutes: 0,
    quietHours: null,
  };
  const fetchFn = virtualFetch(vt, model, () => {
    sim.requests++;
  });
  const env = { fetch: fetchFn, clock: vt.clock, setTimer: vt.setTimer, sleep: vt.sleep };
  const sim: Simulation = {
    vt,
    record: INITIAL_RECORD,
    requests: 0,
    async check() {
      const observations = await vt.run(
        observeAll(env, {
          thresholds,
          settings,
          record: sim.record,
          onLine: true,
          canRead: () => false,
          now: SIM_EPOCH + vt.now,
        }),
      );
      const result = step({
        record: sim.record,
        observations,
        settings,
        now: SIM_EPOCH + vt.now,
        localMinutes: Math.floor(vt.now / MIN) % 1440,
        thresholds,
        wording,
        // Shares nothing: the cost of sharing is simulated with the background's runner (observe-cost.ts).
        observer: null,
        jitter: 0,
      });
      sim.record = result.record;
      return {
        state: result.record.state,
        nextAt: vt.now + result.nextDelaySeconds * 1000,
        notices: result.notices,
      };
    },
  };
  return sim;
}

/**
 * The network on the virtual clock: each request is answered by `model` after its latency (an empty
 * 204, a connection error, or never); `onRequest`, if given, sees every request first.
 */
export function virtualFetch(
  vt: VirtualTime,
  model: NetworkModel,
  onRequest?: (url: string, init: RequestInit | undefined) => void,
): Fetch {
  return (input, init) => {
    onRequest?.(String(input), init);
    const { outcome, latencyMs } = model(String(input), vt.now);
    return new Promise<Response>((resolve, reject) => {
      init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      if (outcome === 'hang') return;
      vt.setTimer(() => {
        if (outcome === 'ok') resolve(new Response(null, { status: 204 }));
        else reject(new TypeError('Failed to fetch'));
      }, latencyMs);
    });
  };
}

/** Deterministic pseudo-random numbers (mulberry32), so every run of the bench sees the same world. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Healthy latency: mostly 80–250 ms with a long tail, as seen from a home connection. */
export function healthyLatency(rnd: () => number): number {
  return 80 + rnd() * 170 + (rnd() < 0.02 ? rnd() * 1500 : 0);
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}
