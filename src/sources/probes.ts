import { classifyAttempt, needsAnotherAttempt } from '../core/attempts';
import { CATALOG, type ServiceId } from '../core/catalog';
import type { Attempt, ServiceObservation } from '../core/types';
import { httpAttempt } from './http-attempt';
import type { SignalSource, SourceContext } from './source';

/**
 * Reachability probes from the user's own browser: every watched service in parallel, each confirmed
 * by quick retries when its result contradicts what we believed (see needsAnotherAttempt).
 */
export const probeSource = {
  id: 'probes',
  observe: (ctx) => Promise.all(ctx.watched.map((id) => probeService(id, ctx))),
} as const satisfies SignalSource<'probes'>;

export async function probeService(service: ServiceId, ctx: SourceContext): Promise<ServiceObservation> {
  const target = CATALOG[service].probes[0];
  const previous = ctx.previous.services[service]?.probeStatus ?? 'unknown';
  const attempts: Attempt[] = [];
  do {
    if (attempts.length > 0) await ctx.sleep(ctx.thresholds.retryDelayMs);
    const raw = await httpAttempt(ctx, target.url, {
      timeoutMs: ctx.thresholds.timeoutMs,
      readable: ctx.canRead(target.url),
    });
    attempts.push(classifyAttempt(raw, ctx.thresholds));
  } while (needsAnotherAttempt(previous, attempts, ctx.thresholds));
  return { service, attempts };
}
