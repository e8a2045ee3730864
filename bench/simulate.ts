import type { ServiceId } from '../src/core/catalog';
import { type CheckObservation, decideCheck, nextCheckDelaySeconds } from '../src/core/monitor';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../src/core/thresholds';
import { INITIAL_STATE, type MonitorState } from '../src/core/types';
import type { Fetch } from '../src/sources/http-attempt';
import type { OfficialCache } from '../src/sources/official';
import { checkObservation, observeAll } from '../src/sources/registry';
import { VirtualTime } from './virtual-time';

/** Wall-clock time of virtual 0, for the official pages' polling schedule. */
const SIM_EPOCH = Date.UTC(2026, 10, 1);

/** How the simulated network answers one request at virtual time `now`. */
export type NetworkModel = (
  url: string,
  now: number,
) => { outcome: 'ok' | 'network' | 'hang'; latencyMs: number };

export interface Simulation {
  readonly vt: VirtualTime;
  state: MonitorState;
  requests: number;
  officialCache: OfficialCache;
  /** Runs one check at the current virtual time; returns when the next one is due. */
  check(): Promise<{ state: MonitorState; nextAt: number }>;
}

export function createSimulation(
  model: NetworkModel,
  watched: readonly ServiceId[],
  intervalSeconds = 60,
  thresholds: Thresholds = DEFAULT_THRESHOLDS,
): Simulation {
  const vt = new VirtualTime();
  const sim: Simulation = {
    vt,
    state: INITIAL_STATE,
    requests: 0,
    officialCache: {},
    async check() {
      const fetchFn: Fetch = (input, init) => {
        sim.requests++;
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
      const observations = await vt.run(
        observeAll({
          fetch: fetchFn,
          clock: vt.clock,
          setTimer: vt.setTimer,
          sleep: vt.sleep,
          thresholds,
          watched,
          previous: sim.state,
          onLine: true,
          canRead: () => false,
          now: () => SIM_EPOCH + vt.now,
          officialCache: sim.officialCache,
          statusPages: {},
          feedUrl: '',
          crowdCache: null,
        }),
      );
      sim.officialCache = observations.official.cache;
      const check: CheckObservation = checkObservation(observations);
      sim.state = decideCheck(sim.state, check, vt.now, thresholds);
      const delay = nextCheckDelaySeconds(sim.state, check, intervalSeconds, thresholds);
      return { state: sim.state, nextAt: vt.now + delay * 1000 };
    },
  };
  return sim;
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
