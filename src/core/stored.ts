import type { History, HistoryBucket } from './history';
import type { Outage } from './outages';
import { bool, INVALID, isRecord, listOf, nullable, num, objectOf, oneOf, optional, str } from './plain-read';
import { SCOPE_KINDS } from './scope';
import { isServiceId, type ServiceId, serviceIdsOf } from './services';
import type { CheckingMark } from './snapshot';
import { DEGRADED_CAUSES, INITIAL_STATE, type MonitorState, type ServiceState } from './types';

// Storage is outside our control (older versions, other code, a disk hiccup): everything read back is
// validated, and what does not fit is dropped piece by piece, never the whole state at once.

const status = oneOf(['up', 'degraded', 'down', 'unknown'] as const);
const reason = objectOf({
  code: str,
  args: optional(
    listOf((x) => (typeof x === 'string' ? x : num(x))),
    undefined,
  ),
});
const scope = objectOf({
  kind: oneOf(SCOPE_KINDS),
  country: nullable((x) => (typeof x === 'string' && /^[A-Z]{2}$/.test(x) ? x : INVALID)),
  down: num,
  total: num,
});
const serviceState = objectOf({
  status,
  // Added with the official-status stage: older stored states read as probes-only verdicts.
  probeStatus: optional(status, undefined),
  confidence: optional(oneOf(['high', 'medium', 'low'] as const), 'medium'),
  maintenance: optional(bool, false),
  // Added with the popup's "possible outage": older stored states, and a cause this version does not
  // know, read as none until the next check (the popup then says "unstable", as it used to). The
  // one cause no longer made, 'unstable', is read apart: see realStatus.
  cause: (x) => {
    const cause = nullable(oneOf([...DEGRADED_CAUSES, 'unstable']))(x);
    return cause === INVALID ? null : cause;
  },
  since: num,
  checkedAt: num,
  latencyMs: nullable(num),
  reasons: listOf(reason),
  recent: listOf(oneOf(['up', 'slow', 'down'] as const)),
  unstable: bool,
  // Added with the crowd of browsers: older stored states, and a broken one, read as none until the
  // next check (the row then says nothing of where it fails).
  scope: (x) => {
    const read = scope(x);
    return read === INVALID ? null : read;
  },
});
const monitorHead = objectOf({
  connectivity: oneOf(['online', 'offline', 'captive'] as const),
  connectivityReasons: listOf(reason),
  checkedAt: nullable(num),
  services: (x) => (isRecord(x) ? x : INVALID),
});
const bucket = objectOf({
  t: num,
  s: status,
  l: nullable(num),
  n: num,
  ln: num,
  // Added with the probe view of the strip; older buckets have none (see answeredChecks).
  a: optional(num, undefined),
});

export function readMonitorState(stored: unknown): MonitorState {
  const head = monitorHead(stored);
  if (head === INVALID) return INITIAL_STATE;
  const services: Partial<Record<ServiceId, ServiceState>> = {};
  for (const id of serviceIdsOf(head.services)) {
    const parsed = serviceState(head.services[id]);
    if (parsed !== INVALID) {
      const { cause, ...rest } = parsed;
      if (cause === 'unstable') {
        services[id] = { ...rest, ...realStatus(rest.recent), cause: null } as ServiceState;
        continue;
      }
      services[id] = {
        ...rest,
        probeStatus: rest.probeStatus ?? rest.status,
        // Only a degraded verdict has a cause: anything else stored with one is a leftover.
        cause: rest.status === 'degraded' ? cause : null,
      } as ServiceState;
    }
  }
  return {
    ...head,
    connectivityReasons: head.connectivityReasons as MonitorState['connectivityReasons'],
    services,
  };
}

/**
 * Older versions made a flapping service degraded with cause 'unstable' (its `unstable` flag is
 * stored too). Flapping is now only that flag, so such a state reads as what its last check saw:
 * down if it failed, up if it answered, until the next check decides afresh.
 */
function realStatus(recent: readonly string[]): Pick<ServiceState, 'status' | 'probeStatus'> {
  const status = recent.at(-1) === 'down' ? 'down' : 'up';
  return { status, probeStatus: status };
}

export function readHistory(stored: unknown): History {
  if (typeof stored !== 'object' || stored === null) return {};
  const out: Partial<Record<ServiceId, readonly HistoryBucket[]>> = {};
  for (const id of serviceIdsOf(stored)) {
    const list = (stored as Record<string, unknown>)[id];
    if (!Array.isArray(list)) continue;
    out[id] = list
      .filter((b): b is HistoryBucket => bucket(b) !== INVALID)
      .map((b) => bucket(b) as HistoryBucket);
  }
  return out;
}

const outage = objectOf({
  service: (x: unknown) => (isServiceId(x) ? x : INVALID),
  start: num,
  end: nullable(num),
  signals: listOf(str),
});

export function readOutages(stored: unknown): Outage[] {
  if (!Array.isArray(stored)) return [];
  return stored.flatMap((o) => {
    const read = outage(o);
    return read === INVALID ? [] : [read];
  });
}

/**
 * The pause of notifications: its own storage key when it has one (a time, or 0 for "not paused"),
 * else what older versions kept inside the notification state.
 */
export function readSnoozedUntil(stored: unknown, legacy: number | null): number | null {
  if (typeof stored !== 'number' || !Number.isFinite(stored)) return legacy;
  return stored > 0 ? stored : null;
}

/** The mark a running check leaves in storage; anything else reads as "no check running". */
export function readCheckingMark(stored: unknown): CheckingMark | null {
  if (typeof stored !== 'object' || stored === null) return null;
  const since = (stored as { since?: unknown }).since;
  return typeof since === 'number' && Number.isFinite(since) ? { since } : null;
}
