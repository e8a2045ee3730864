import type { Observations } from '../core/step';
import { connectivitySource } from './connectivity';
import { crowdSource } from './crowd';
import { officialSource } from './official';
import { probeSource } from './probes';
import type { CheckContext, SourceEnv } from './source';

/** A source of key K whatever its input type (a function taking any input takes `never`). */
interface AnySource<K extends keyof Observations> {
  readonly id: K;
  inputOf(ctx: CheckContext): unknown;
  observe(env: SourceEnv, input: never): Promise<Observations[K]>;
}

/** Every signal source, one per key of Observations; the type checks that none is missing. */
export const SOURCES = {
  probes: probeSource,
  connectivity: connectivitySource,
  official: officialSource,
  crowd: crowdSource,
} as const satisfies { [K in keyof Observations]: AnySource<K> };

/**
 * Runs every source in parallel, each on its own input taken from the check's context. A source never
 * throws out of a check: failures become observations.
 */
export async function observeAll(env: SourceEnv, ctx: CheckContext): Promise<Observations> {
  const [probes, connectivity, official, crowd] = await Promise.all([
    SOURCES.probes.observe(env, SOURCES.probes.inputOf(ctx)),
    SOURCES.connectivity.observe(env, SOURCES.connectivity.inputOf(ctx)),
    SOURCES.official.observe(env, SOURCES.official.inputOf(ctx)),
    SOURCES.crowd.observe(env, SOURCES.crowd.inputOf(ctx)),
  ]);
  return { probes, connectivity, official, crowd };
}
