import { classifyAttempt, needsAnotherAttempt } from '../core/attempts';
import { appEntry } from '../core/catalog';
import type { CustomApp } from '../core/custom-apps';
import type { ServiceId } from '../core/services';
import type { Thresholds } from '../core/thresholds';
import type { Attempt, MonitorState, RawAttempt, ServiceObservation, Status } from '../core/types';
import { type HttpEnv, type HttpOutcome, httpRequest } from './http';
import type { SignalSource, SourceEnv } from './source';

export interface ProbeInput {
  readonly watched: readonly ServiceId[];
  /** What the probes concluded last time, per service: a contradicting attempt is confirmed by retries. */
  readonly believed: Readonly<Partial<Record<ServiceId, Status>>>;
  readonly thresholds: Thresholds;
  readonly canRead: (url: string) => boolean;
  /** The user's own apps (the settings'): where a watched `custom-` id is probed. */
  readonly customApps: readonly CustomApp[];
}

/**
 * Reachability probes from the user's own browser: every watched service in parallel, each confirmed
 * by quick retries when its result contradicts what we believed (see needsAnotherAttempt).
 */
export const probeSource = {
  id: 'probes',
  inputOf: (ctx) => ({
    watched: ctx.settings.watched,
    believed: believedOf(ctx.record.state),
    thresholds: ctx.thresholds,
    canRead: ctx.canRead,
    customApps: ctx.settings.customApps,
  }),
  observe: (env, input) => Promise.all(input.watched.map((id) => probeService(env, input, id))),
} as const satisfies SignalSource<'probes', ProbeInput>;

function believedOf(state: MonitorState): Partial<Record<ServiceId, Status>> {
  const out: Partial<Record<ServiceId, Status>> = {};
  for (const [id, s] of Object.entries(state.services) as [ServiceId, { probeStatus: Status }][]) {
    out[id] = s.probeStatus;
  }
  return out;
}

export async function probeService(
  env: SourceEnv,
  input: ProbeInput,
  service: ServiceId,
): Promise<ServiceObservation> {
  const target = appEntry(service, input.customApps)?.probes[0];
  // An app of the user's removed since the settings were read: nothing to probe, no verdict.
  if (!target) return { service, attempts: [] };
  const previous = input.believed[service] ?? 'unknown';
  const attempts: Attempt[] = [];
  do {
    if (attempts.length > 0) await env.sleep(input.thresholds.retryDelayMs);
    const raw = await reach(env, target.url, input.thresholds.timeoutMs, input.canRead(target.url));
    attempts.push(classifyAttempt(raw, input.thresholds));
  } while (needsAnotherAttempt(previous, attempts, input.thresholds));
  return { service, attempts };
}

/**
 * One reachability attempt: a HEAD that reads no body. With host permission the status is readable
 * (cors); without it the answer is opaque (no-cors), which still tells reachable from unreachable.
 */
export async function reach(
  env: HttpEnv,
  url: string,
  timeoutMs: number,
  readable: boolean,
): Promise<RawAttempt> {
  const outcome = await httpRequest(env, {
    url,
    method: 'HEAD',
    mode: readable ? 'cors' : 'no-cors',
    timeoutMs,
  });
  return rawAttempt(outcome);
}

/** Any answer, an error status included, is the server reaching us; classifyAttempt judges the status. */
function rawAttempt(outcome: HttpOutcome): RawAttempt {
  switch (outcome.kind) {
    case 'ok':
      return { ok: true, latencyMs: outcome.latencyMs, status: outcome.status };
    case 'http-error':
      return { ok: true, latencyMs: outcome.latencyMs, status: outcome.status };
    case 'not-modified':
      return { ok: true, latencyMs: outcome.latencyMs, status: 304 };
    case 'redirect':
      return { ok: true, latencyMs: outcome.latencyMs, status: null };
    case 'timeout':
      return { ok: false, latencyMs: outcome.latencyMs, timedOut: true };
    default:
      return { ok: false, latencyMs: outcome.latencyMs, timedOut: false };
  }
}
