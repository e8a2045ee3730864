import { connectivitySource } from './connectivity';
import { probeSource } from './probes';
import type { Observations, SignalSource, SourceContext } from './source';

/** Every signal source, one per key of Observations; the type checks that none is missing. */
export const SOURCES = {
  probes: probeSource,
  connectivity: connectivitySource,
} as const satisfies { [K in keyof Observations]: SignalSource<K> };

/** Runs every source in parallel. A source never throws out of a check: failures become observations. */
export async function observeAll(ctx: SourceContext): Promise<Observations> {
  const [probes, connectivity] = await Promise.all([
    SOURCES.probes.observe(ctx),
    SOURCES.connectivity.observe(ctx),
  ]);
  return { probes, connectivity };
}
