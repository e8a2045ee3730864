import * as v from 'valibot';
import { SERVICE_IDS, type ServiceId } from './catalog';
import type { History, HistoryBucket } from './history';
import { INITIAL_NOTIFY_STATE, type NotifyState, type ServiceNotifyState } from './notify';
import type { Outage } from './outages';
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
  // know, read as none until the next check (the popup then says "unstable", as it used to).
  cause: v.fallback(v.nullable(v.picklist(DEGRADED_CAUSES)), null),
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
      services[id] = {
        ...parsed.output,
        probeStatus: parsed.output.probeStatus ?? parsed.output.status,
        // Only a degraded verdict has a cause: anything else stored with one is a leftover.
        cause: parsed.output.status === 'degraded' ? parsed.output.cause : null,
      } as ServiceState;
    }
  }
  return {
    ...head.output,
    connectivityReasons: head.output.connectivityReasons as MonitorState['connectivityReasons'],
    services,
  };
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
  pending: v.optional(v.nullable(v.object({ to: v.picklist(['down', 'up']), since: v.number() })), null),
  downSince: v.nullable(v.number()),
  downShown: v.boolean(),
  lastReminderAt: v.nullable(v.number()),
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
