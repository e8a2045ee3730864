import * as v from 'valibot';
import { SERVICE_IDS, type ServiceId } from './catalog';
import type { History, HistoryBucket } from './history';
import { INITIAL_STATE, type MonitorState, type ServiceState } from './types';

// Storage is outside our control (older versions, other code, a disk hiccup): everything read back is
// validated, and what does not fit is dropped piece by piece, never the whole state at once.

const status = v.picklist(['up', 'degraded', 'down', 'unknown']);
const reason = v.object({
  code: v.string(),
  args: v.optional(v.array(v.union([v.string(), v.number()]))),
});
const serviceState = v.object({
  status,
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
});

export function readMonitorState(stored: unknown): MonitorState {
  const head = v.safeParse(monitorHead, stored);
  if (!head.success) return INITIAL_STATE;
  const services: Partial<Record<ServiceId, ServiceState>> = {};
  for (const id of SERVICE_IDS) {
    const parsed = v.safeParse(serviceState, head.output.services[id]);
    if (parsed.success) services[id] = parsed.output as ServiceState;
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
