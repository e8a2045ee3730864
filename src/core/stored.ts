import * as v from 'valibot';
import { SERVICE_IDS, type ServiceId } from './catalog';
import type { History, HistoryBucket } from './history';
import { INITIAL_NOTIFY_STATE, type NotifyState, type ServiceNotifyState } from './notify';
import type { Outage } from './outages';
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

const notifyService = v.object({
  phase: v.picklist(['ok', 'down', 'unstable']),
  pending: v.optional(
    v.nullable(
      // `checks` added with held-back changes while flapping: an older pending change was seen once.
      v.object({ to: v.picklist(['down', 'up']), since: v.number(), checks: v.optional(v.number(), 1) }),
    ),
    null,
  ),
  downSince: v.nullable(v.number()),
  downShown: v.boolean(),
  lastReminderAt: v.nullable(v.number()),
  // Added with it: an older state counted no change held back.
  heldBack: v.optional(v.number(), 0),
});

export function readNotifyState(stored: unknown): NotifyState {
  if (typeof stored !== 'object' || stored === null) return INITIAL_NOTIFY_STATE;
  const raw = stored as { snoozedUntil?: unknown; services?: unknown };
  const services: Partial<Record<ServiceId, ServiceNotifyState>> = {};
  for (const id of SERVICE_IDS) {
    const parsed = v.safeParse(notifyService, (raw.services as Record<string, unknown> | undefined)?.[id]);
    if (parsed.success) services[id] = parsed.output;
  }
  return { snoozedUntil: typeof raw.snoozedUntil === 'number' ? raw.snoozedUntil : null, services };
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

const officialReport = v.object({
  service: v.picklist(SERVICE_IDS),
  source: v.string(),
  state: v.picklist(['operational', 'minor', 'major', 'maintenance', 'unknown']),
  title: v.nullable(v.string()),
  problem: v.nullable(v.string()),
});
const officialEntry = v.object({
  url: v.string(),
  fetchedAt: v.number(),
  etag: v.nullable(v.string()),
  lastModified: v.nullable(v.string()),
  report: officialReport,
});

/** The official pages' cache (conditional-request validators and the last report per service). */
export function readOfficialCache(
  stored: unknown,
): Partial<Record<ServiceId, v.InferOutput<typeof officialEntry>>> {
  if (typeof stored !== 'object' || stored === null) return {};
  const out: Partial<Record<ServiceId, v.InferOutput<typeof officialEntry>>> = {};
  for (const id of SERVICE_IDS) {
    const parsed = v.safeParse(officialEntry, (stored as Record<string, unknown>)[id]);
    if (parsed.success) out[id] = parsed.output;
  }
  return out;
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
