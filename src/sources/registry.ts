import type { CheckObservation } from '../core/monitor';
import { connectivitySource } from './connectivity';
import { crowdSource } from './crowd';
import { officialSource } from './official';
import { probeSource } from './probes';
import type { Observations, SignalSource, SourceContext } from './source';

/** Every signal source, one per key of Observations; the type checks that none is missing. */
export const SOURCES = {
  probes: probeSource,
  connectivity: connectivitySource,
  official: officialSource,
  crowd: crowdSource,
} as const satisfies { [K in keyof Observations]: SignalSource<K> };

/** Runs every source in parallel. A source never throws out of a check: failures become observations. */
export async function observeAll(ctx: SourceContext): Promise<Observations> {
  const [probes, connectivity, official, crowd] = await Promise.all([
    SOURCES.probes.observe(ctx),
    SOURCES.connectivity.observe(ctx),
    SOURCES.official.observe(ctx),
    SOURCES.crowd.observe(ctx),
  ]);
  return { probes, connectivity, official, crowd };
}

/** What the pure core needs from one round of observations. */
export function checkObservation(obs: Observations): CheckObservation {
  return {
    probes: obs.probes,
    connectivity: obs.connectivity,
    official: obs.official.reports,
    crowd: obs.crowd.signals,
  };
}
