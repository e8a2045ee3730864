import { isSuccess } from './attempts';
import { type CrowdSignal, fuseSignals } from './fusion';
import type { ObservedServices } from './observe';
import type { OfficialReport } from './official/types';
import { type CrowdScope, crowdScope } from './scope';
import type { ServiceId } from './services';
import type { Thresholds } from './thresholds';
import type {
  Connectivity,
  ConnectivityObservation,
  MonitorState,
  Reason,
  ServiceObservation,
  ServiceState,
} from './types';
import { decideService } from './verdict';

export interface CheckObservation {
  readonly connectivity: ConnectivityObservation;
  readonly probes: readonly ServiceObservation[];
  /** Official status reports, when a source was polled (they are polled less often than probes). */
  readonly official?: readonly OfficialReport[];
  readonly crowd?: Readonly<Partial<Record<ServiceId, CrowdSignal>>>;
  /** What this browser told the feed that the feed still counts (src/core/observe.ts sharedInFeed). */
  readonly shared?: ObservedServices;
}

/**
 * "Is it me?": the user's connection is judged before any service. Offline when the browser says
 * so, or when both controls (different operators) and every service failed; a control may be
 * blocked in some countries, so one service reached is enough to call the connection online.
 */
export function decideConnectivity(obs: CheckObservation): { connectivity: Connectivity; reasons: Reason[] } {
  const c = obs.connectivity;
  if (!c.onLine) return { connectivity: 'offline', reasons: [{ code: 'browserOffline' }] };
  if (c.portal === 'portal') return { connectivity: 'captive', reasons: [{ code: 'captivePortal' }] };
  const controlReached = c.controls.some((x) => x.reachable);
  const serviceReached = obs.probes.some((s) => s.attempts.some(isSuccess));
  if (!controlReached && !serviceReached) {
    return { connectivity: 'offline', reasons: [{ code: 'controlsFailed' }] };
  }
  return { connectivity: 'online', reasons: controlReached ? [{ code: 'controlsOk' }] : [] };
}

/** One check: previous state + observations → next state. */
export function decideCheck(
  previous: MonitorState,
  obs: CheckObservation,
  now: number,
  t: Thresholds,
): MonitorState {
  const { connectivity, reasons } = decideConnectivity(obs);
  const controlsOk = obs.connectivity.controls.some((c) => c.reachable);
  const services: Partial<Record<ServiceId, ServiceState>> = {};
  for (const o of obs.probes) {
    const prev = previous.services[o.service];
    const crowd = obs.crowd?.[o.service];
    const shared = obs.shared?.[o.service] ?? null;
    if (connectivity !== 'online') {
      // What others see still holds ("down for everyone"); only "just you" needs this browser's view.
      const scope = crowdScope(crowd?.probes, { probe: 'unknown', controlsOk, shared }, t);
      services[o.service] = unknownWhileDisconnected(prev, connectivity, now, scope);
      continue;
    }
    const probe = decideService(prev, o, now, t);
    const official = obs.official?.find((r) => r.service === o.service);
    const probeCause = probe.cause === 'slow' ? probe.cause : null;
    const scope = crowdScope(crowd?.probes, { probe: probe.status, controlsOk, shared }, t);
    const fused = fuseSignals(probe.status, official, crowd, probeCause, scope);
    services[o.service] = withConnectivityReasons(
      {
        ...probe,
        status: fused.status,
        since: prev && prev.status === fused.status ? prev.since : now,
        confidence: fused.confidence,
        maintenance: fused.maintenance,
        cause: fused.cause,
        reasons: [...probe.reasons, ...fused.reasons],
        scope,
      },
      reasons,
    );
  }
  return { connectivity, connectivityReasons: reasons, checkedAt: now, services };
}

/** Saying "controls OK" under a down service is what tells the user it is not their connection. */
function withConnectivityReasons(s: ServiceState, reasons: readonly Reason[]): ServiceState {
  if (s.status === 'up') return s;
  return { ...s, reasons: [...s.reasons, ...reasons] };
}

/**
 * While the user is offline nothing can be said about a service: unknown, with the reason. The
 * flap window is left untouched so an offline spell never reads as flapping.
 */
function unknownWhileDisconnected(
  prev: ServiceState | undefined,
  connectivity: Exclude<Connectivity, 'online'>,
  now: number,
  scope: CrowdScope | null,
): ServiceState {
  return {
    status: 'unknown',
    probeStatus: 'unknown',
    confidence: 'low',
    maintenance: false,
    cause: null,
    since: prev?.status === 'unknown' ? prev.since : now,
    checkedAt: now,
    latencyMs: null,
    reasons: [{ code: connectivity }],
    recent: prev?.recent ?? [],
    unstable: prev?.unstable ?? false,
    scope,
  };
}

/**
 * Something looks suspect when any attempt failed or was slow, a service is not up or is unstable,
 * or the user is not online: then the next check comes sooner, to confirm a recovery or an outage
 * quickly, and to see soon whether a flapping service has settled.
 */
export function looksSuspect(state: MonitorState, obs: CheckObservation): boolean {
  if (state.connectivity !== 'online') return true;
  if (obs.probes.some((s) => s.attempts.some((a) => a.kind !== 'reachable'))) return true;
  return Object.values(state.services).some((s) => s && (s.status !== 'up' || s.unstable));
}

export function nextCheckDelaySeconds(
  state: MonitorState,
  obs: CheckObservation,
  intervalSeconds: number,
  t: Thresholds,
): number {
  return looksSuspect(state, obs) ? Math.min(intervalSeconds, t.suspectRecheckSeconds) : intervalSeconds;
}

export { isStale } from './stale';
