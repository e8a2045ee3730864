import * as v from 'valibot';
import type { History, HistoryBucket } from './history';
import type { Outage } from './outages';
import { SERVICE_IDS, type ServiceId } from './services';
import type { CheckingMark } from './snapshot';
import { DEGRADED_CAUSES, INITIAL_STATE, type MonitorState, type ServiceState } from './types';

// Storage is outside our control (older versions, other code, a disk hiccup): everything read back is
// validated, and what does not fit is dropped piece by piece, never the whole state at once.

const status = v.picklist(['up', 'degraded', 'down', 'unknown']);
const reason = v.object({
  code: v.string(),
  args: v.optional(v.array(v.union([v.string(), v.number()]))),
});
const serviceState = v.object({
  status,
  // Added with the official-status stage: older stored states read as probes-only verdicts.
  probeStatus: v.optional(status),
  confidence: v.optional(v.picklist(['high', 'medium', 'low']), 'medium'),
  maintenance: v.optional(v.boolean(), false),
  // Added with the popup's "possible outage": older stored states, and a cause this version does not
  // know, read as none until the next check (the popup then says "unstable", as it used to). The
  // one cause no longer made, 'unstable', is read apart: see realStatus.
  cause: v.fallback(v.nullable(v.picklist([...DEGRADED_CAUSES, 'unstable'])), null),
  since: v.number(),
  checkedAt: v.number(),
  latencyMs: v.nullable(v.number()),
  reasons: v.array(reason),
  recent: v.array(v.picklist(['up', 'slow', 'down'])),
  unstable: v.boolean(),
});
const monitorHead = v.object({
  connectivity: v.picklist(['online', 'offline', 'captive']),
  connectivityReasons: v.array(reason),
  checkedAt: v.nullable(v.number()),
  services: v.record(v.string(), v.unknown()),
});
const bucket = v.object({
  t: v.number(),
  s: status,
  l: v.nullable(v.number()),
  n: v.number(),
  ln: v.number(),
  // Added with the probe view of the strip; older buckets have none (see answeredChecks).
  a: v.optional(v.number()),
});

export function readMonitorState(stored: unknown): MonitorState {
  const head = v.safeParse(monitorHead, stored);
  if (!head.success) return INITIAL_STATE;
  const services: Partial<Record<ServiceId, ServiceState>> = {};
  for (const id of SERVICE_IDS) {
    const parsed = v.safeParse(serviceState, head.output.services[id]);
    if (parsed.success) {
      const { cause, ...rest } = parsed.output;
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
    ...head.output,
    connectivityReasons: head.output.connectivityReasons as MonitorState['connectivityReasons'],
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
  for (const id of SERVICE_IDS) {
    const list = (stored as Record<string, unknown>)[id];
    if (!Array.isArray(list)) continue;
    out[id] = list.filter((b): b is HistoryBucket => v.is(bucket, b));
  }
  return out;
}

const outage = v.object({
  service: v.picklist(SERVICE_IDS),
  start: v.number(),
  end: v.nullable(v.number()),
  signals: v.array(v.string()),
});

export function readOutages(stored: unknown): Outage[] {
  if (!Array.isArray(stored)) return [];
  return stored.filter((o): o is Outage => v.is(outage, o));
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
