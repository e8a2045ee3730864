// What only the background reads back from storage, validated like the rest (stored.ts): the
// notification bookkeeping and the official pages' cache. Apart from stored.ts so that pages, which
// never read these, do not load their schemas.

import * as v from 'valibot';
import { INITIAL_NOTIFY_STATE, type NotifyState, type ServiceNotifyState } from './notify';
import { isRecord } from './plain-read';
import { isServiceId, type ServiceId, serviceIdsOf } from './services';

const notifyService = v.object({
  // 'local' added with the crowd of browsers ("not from your network").
  phase: v.picklist(['ok', 'down', 'unstable', 'local']),
  pending: v.optional(
    v.nullable(
      // `checks` added with held-back changes while flapping: an older pending change was seen once.
      v.object({
        to: v.picklist(['down', 'up', 'local']),
        since: v.number(),
        checks: v.optional(v.number(), 1),
      }),
    ),
    null,
  ),
  downSince: v.nullable(v.number()),
  downShown: v.boolean(),
  lastReminderAt: v.nullable(v.number()),
  // Added with it: an older state counted no change held back.
  heldBack: v.optional(v.number(), 0),
});

const serviceId = v.custom<ServiceId>(isServiceId);
// A group stored before `lead` was kept began with its first app (services[0]); one naming no app is
// dropped, as it can have no notice.
const notifyGroup = v.pipe(
  v.object({
    since: v.number(),
    lead: v.optional(serviceId),
    shownAt: v.number(),
    services: v.pipe(v.array(serviceId), v.minLength(1)),
    remindedAt: v.optional(v.nullable(v.number()), null),
  }),
  v.transform(({ lead, ...g }) => ({ ...g, lead: lead ?? (g.services[0] as ServiceId) })),
);

export function readNotifyState(stored: unknown): NotifyState {
  if (typeof stored !== 'object' || stored === null) return INITIAL_NOTIFY_STATE;
  const raw = stored as { snoozedUntil?: unknown; services?: unknown };
  const services: Partial<Record<ServiceId, ServiceNotifyState>> = {};
  for (const id of serviceIdsOf(isRecord(raw.services) ? raw.services : {})) {
    const parsed = v.safeParse(notifyService, (raw.services as Record<string, unknown> | undefined)?.[id]);
    if (parsed.success) services[id] = parsed.output;
  }
  // Stored before outages were grouped: none (their apps' "back" then comes one by one, as it did).
  const groups = v.safeParse(v.array(notifyGroup), (raw as { groups?: unknown }).groups);
  return {
    snoozedUntil: typeof raw.snoozedUntil === 'number' ? raw.snoozedUntil : null,
    services,
    groups: groups.success ? groups.output : [],
  };
}

const officialReport = v.object({
  service: v.custom<ServiceId>(isServiceId),
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
  for (const id of serviceIdsOf(stored)) {
    const parsed = v.safeParse(officialEntry, (stored as Record<string, unknown>)[id]);
    if (parsed.success) out[id] = parsed.output;
  }
  return out;
}
