// The sampling loop at a small scale: the server asks for few observations (a low target), publishes the
// sample its rule sets from the load it measured (server/core/observe-sample.ts, through the feed
// cache), and the browsers follow it through the feed they read (in the sample or out, by their daily
// draw). The sample falls from 1 and the rate of observations settles near the target.

import type { ObserveMinute } from '../server/core/observe-sample';
import { runCrowd } from './crowd-run';
import type { CrowdSize } from './crowd-scenarios';
import { makeCrowd } from './crowd-world';
import { SIM_EPOCH } from './simulate';

const MIN = 60_000;

export interface SamplingRun {
  /** The store's log, one entry per minute from the start: observations counted, sample published. */
  readonly minutes: readonly { readonly observations: number; readonly sample: number | null }[];
}

export async function samplingLoop(
  size: CrowdSize,
  seed: number,
  target: number,
  minutes: number,
): Promise<SamplingRun> {
  const log = new Map<number, ObserveMinute>();
  await runCrowd({
    // Browsers opened over a heartbeat's period, as a real crowd is: not all in the same minute, so their
    // "still the same" do not all fall in the same minute either.
    crowd: makeCrowd({ ...size, seed, phaseSpreadMs: 16 * MIN }),
    seed,
    durationMs: minutes * MIN,
    observeTarget: target,
    pollMs: MIN,
    // The log keeps 30 minutes: read it every minute, keep every minute.
    onPoll: async (server) => {
      for (const m of await server.storage.observeMinutes(SIM_EPOCH)) log.set(m.minute, m);
    },
  });
  return {
    minutes: Array.from({ length: minutes }, (_, i) => {
      const m = log.get(SIM_EPOCH + i * MIN);
      return { observations: m?.observations ?? 0, sample: m?.sample ?? null };
    }),
  };
}
