import type { ChannelId, ServiceId } from './catalog';
import { rankFallbacks } from './fallbacks';
import type { MonitorState } from './types';

/**
 * "Notify or not" as a pure function. An alert earns its place only if it is right and rare: on
 * confirmed changes only, never for the user's own offline state, never twice for one outage, one
 * "unstable" notice for a service that keeps flipping, and nothing while snoozed or in quiet hours.
 *
 * A change is announced once two checks in a row agree (the second comes 30 s after the first, as
 * anything suspect is re-checked sooner). The badge shows it at once; the notification waits those
 * 30 s so a service that flips every few tens of seconds gets its single "unstable" notice instead
 * of a down/back pair first.
 */
export type NoticeKind = 'down' | 'back' | 'unstable' | 'reminder';

export interface Notice {
  readonly kind: NoticeKind;
  readonly service: ServiceId;
  /** When the outage began (down, reminder, back). */
  readonly since: number;
  /** How long it lasted (back) or has lasted (reminder), ms. */
  readonly durationMs: number;
  /** The best working channel to go to instead (down, reminder). */
  readonly fallback: ChannelId | null;
}

type Phase = 'ok' | 'down' | 'unstable';

export interface ServiceNotifyState {
  readonly phase: Phase;
  /** A change seen by one check, waiting for the next check to agree. */
  readonly pending: { readonly to: 'down' | 'up'; readonly since: number } | null;
  /** Start of the current outage (phase down). */
  readonly downSince: number | null;
  /** The down notice of this outage was shown (so its "back" is worth showing). */
  readonly downShown: boolean;
  readonly lastReminderAt: number | null;
}

export interface NotifyState {
  readonly snoozedUntil: number | null;
  readonly services: Readonly<Partial<Record<ServiceId, ServiceNotifyState>>>;
}

export const INITIAL_NOTIFY_STATE: NotifyState = { snoozedUntil: null, services: {} };

export interface NotifySettings {
  readonly enabled: boolean;
  readonly primary: ServiceId;
  readonly watched: readonly ServiceId[];
  readonly fallbacks: readonly ChannelId[];
  /** 0 = no reminders; otherwise at least 30. */
  readonly reminderMinutes: number;
  /** Minutes since local midnight; null = no quiet hours. */
  readonly quietHours: { readonly start: number; readonly end: number } | null;
}

export const MIN_REMINDER_MINUTES = 30;

export function inQuietHours(quiet: NotifySettings['quietHours'], localMinutes: number): boolean {
  if (!quiet || quiet.start === quiet.end) return false;
  return quiet.start < quiet.end
    ? localMinutes >= quiet.start && localMinutes < quiet.end
    : localMinutes >= quiet.start || localMinutes < quiet.end;
}

const FRESH: ServiceNotifyState = {
  phase: 'ok',
  pending: null,
  downSince: null,
  downShown: false,
  lastReminderAt: null,
};

export function decideNotifications(
  next: MonitorState,
  notify: NotifyState,
  settings: NotifySettings,
  now: number,
  localMinutes: number,
): { notices: Notice[]; notify: NotifyState } {
  // The user's own connection is never news: nothing changes while offline or behind a portal.
  if (next.connectivity !== 'online') return { notices: [], notify };
  const silenced =
    !settings.enabled ||
    (notify.snoozedUntil !== null && now < notify.snoozedUntil) ||
    inQuietHours(settings.quietHours, localMinutes);
  const order = [settings.primary, ...settings.watched.filter((id) => id !== settings.primary)];
  const notices: Notice[] = [];
  const services: Partial<Record<ServiceId, ServiceNotifyState>> = {};
  for (const id of order) {
    const s = next.services[id];
    const prev = notify.services[id] ?? FRESH;
    if (!s || s.status === 'unknown') {
      services[id] = prev;
      continue;
    }
    const fallback = () => rankFallbacks(id, settings.fallbacks, next)[0]?.channel ?? null;
    let state = prev;
    if (s.status === 'down' && !s.unstable) {
      if (prev.phase !== 'down') {
        if (prev.pending?.to !== 'down') {
          state = { ...prev, pending: { to: 'down', since: s.since } };
        } else {
          const since = prev.pending.since;
          // Scheduled maintenance is announced by the service itself: not an alert.
          const show = !silenced && !s.maintenance;
          if (show)
            notices.push({ kind: 'down', service: id, since, durationMs: now - since, fallback: fallback() });
          state = {
            phase: 'down',
            pending: null,
            downSince: since,
            downShown: show,
            lastReminderAt: show ? now : null,
          };
        }
      } else if (
        settings.reminderMinutes >= MIN_REMINDER_MINUTES &&
        !silenced &&
        prev.downShown &&
        now - (prev.lastReminderAt ?? 0) >= settings.reminderMinutes * 60_000
      ) {
        const since = prev.downSince ?? s.since;
        notices.push({ kind: 'reminder', service: id, since, durationMs: now - since, fallback: fallback() });
        state = { ...prev, pending: null, lastReminderAt: now };
      } else {
        state = { ...prev, pending: null };
      }
    } else if (s.unstable) {
      if (prev.phase !== 'unstable') {
        if (!silenced)
          notices.push({ kind: 'unstable', service: id, since: s.since, durationMs: 0, fallback: null });
        state = { ...FRESH, phase: 'unstable' };
      }
    } else if (s.status === 'up') {
      if (prev.phase === 'down' && prev.pending?.to !== 'up') {
        state = { ...prev, pending: { to: 'up', since: s.since } };
      } else if (prev.phase === 'down' && prev.pending) {
        const since = prev.downSince ?? prev.pending.since;
        if (prev.downShown && !silenced) {
          notices.push({
            kind: 'back',
            service: id,
            since,
            durationMs: prev.pending.since - since,
            fallback: null,
          });
        }
        state = FRESH;
      } else {
        state = FRESH;
      }
    } else if (prev.pending) {
      // Degraded but not flapping: whatever change was pending did not hold.
      state = { ...prev, pending: null };
    }
    services[id] = state;
  }
  return { notices, notify: { snoozedUntil: notify.snoozedUntil, services } };
}
