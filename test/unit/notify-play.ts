// Timelines played through the notify decision, shared by the notify and grouping tests.
import {
  decideNotifications,
  INITIAL_NOTIFY_STATE,
  type Notice,
  type NotifySettings,
  type NotifyState,
} from '../../src/core/notify';
import type { ServiceId } from '../../src/core/services';
import type { Connectivity, MonitorState, ServiceState, Status } from '../../src/core/types';
import { MIN, serviceState, T, T0 } from './helpers';

export const SETTINGS: NotifySettings = {
  enabled: true,
  primary: 'whatsapp',
  watched: ['whatsapp', 'telegram', 'signal'],
  fallbacks: ['telegram', 'signal', 'phone'],
  reminderMinutes: 0,
  quietHours: null,
  alertOn: 'both',
  muted: [],
};

/**
 * What one check says of a service: its status, with `~` when it is flagged unstable (flapping);
 * `local` when it fails from here while 120 other networks reach it (degraded, cause 'local').
 */
type Seen = Status | 'up~' | 'down~' | 'local' | 'local~';
export const ONLY_HERE = { kind: 'network', country: null, down: 1, total: 121 } as const;
/** One step of a timeline: minute offset, what the check says per service, connectivity. */
export type Step = [number, Partial<Record<ServiceId, Seen>>, Connectivity?, (readonly ServiceId[])?];

/**
 * Plays a timeline through the notify decision, keeping `since` like the monitor does (it only moves
 * when the status changes). `muted` per minute: the apps muted at that check.
 */
export function playNotices(
  steps: Step[],
  settings: NotifySettings = SETTINGS,
  start: NotifyState = INITIAL_NOTIFY_STATE,
  localMinutes = 12 * 60,
): { notices: (Notice & { at: number })[]; notify: NotifyState } {
  let notify = start;
  const since: Partial<Record<ServiceId, { status: string; at: number }>> = {};
  const all: (Notice & { at: number })[] = [];
  for (const [minute, statuses, connectivity = 'online', muted = settings.muted] of steps) {
    const now = T0 + minute * MIN;
    const services = Object.fromEntries(
      Object.entries(statuses).map(([id, raw]) => {
        const seen = (raw ?? '').replace('~', '');
        const prev = since[id as ServiceId];
        if (!prev || prev.status !== seen) since[id as ServiceId] = { status: seen, at: now };
        const local: Partial<ServiceState> | null =
          seen === 'local' ? { status: 'degraded', cause: 'local', scope: ONLY_HERE } : null;
        return [
          id,
          serviceState({
            status: seen as Status,
            ...local,
            since: since[id as ServiceId]?.at ?? now,
            unstable: raw?.endsWith('~') ?? false,
          }),
        ];
      }),
    );
    const state: MonitorState = { connectivity, connectivityReasons: [], checkedAt: now, services };
    const r = decideNotifications(
      state,
      notify,
      { ...settings, muted },
      now,
      Math.floor(localMinutes + minute) % (24 * 60),
      T,
    );
    notify = r.notify;
    all.push(...r.notices.map((n) => ({ ...n, at: minute })));
  }
  return { notices: all, notify };
}

/** The notices of a timeline in words: "2 down whatsapp+messenger →telegram", "9 back whatsapp 7min". */
export function play(
  steps: Step[],
  settings: NotifySettings = SETTINGS,
  start: NotifyState = INITIAL_NOTIFY_STATE,
  localMinutes = 12 * 60,
): string[] {
  return playNotices(steps, settings, start, localMinutes).notices.map(
    (n) =>
      `${n.at} ${n.kind} ${n.services.join('+')}${n.kind === 'back' ? ` ${n.durationMs / MIN}min` : ''}${n.fallback ? ` →${n.fallback}` : ''}`,
  );
}
