import { rankFallbacks } from './fallbacks';
import { groupNotices, type NoticeGroup, noticeId } from './notify-group';
import type { ChannelId, ServiceId } from './services';
import type { AlertOn } from './settings';
import type { Thresholds } from './thresholds';
import type { MonitorState, ServiceState } from './types';

/**
 * "Notify or not" as a pure function. An alert earns its place only if it is right and rare: on
 * confirmed changes only, never for the user's own offline state, never twice for one outage, one
 * "unstable" notice for a service that keeps flipping, and nothing while snoozed or in quiet hours.
 *
 * A change is announced once two checks in a row agree (the second comes 30 s after the first, as
 * anything suspect is re-checked sooner). The badge shows it at once; the notification waits those
 * 30 s so a service that drops out for a moment stays quiet.
 *
 * Flapping holds notifications back, never the verdict (the badge is red as soon as a flapping
 * service fails):
 * - while a service is unstable, a change is announced once it has held thresholds.flapSettleChecks
 *   checks in a row, so a relapse after a short recovery that stays down gets its "down";
 * - a change that does not hold is held back: no down/back pair. One is a relapse; the second in a
 *   flapping spell gives the spell's one "unstable" notice;
 * - after "unstable", nothing until the flapping is over (the flag clears, as in Icinga, whose flap
 *   thresholds these are): then the state two checks agree on, "down", or "back" if a down was
 *   announced. Noise can stretch a flap's down spells to many checks in a row (a failed attempt
 *   fails the recovery check between two of them), so a run of checks alone cannot end it.
 */
export type NoticeKind = 'down' | 'back' | 'unstable' | 'reminder' | 'local';

export interface Notice {
  readonly kind: NoticeKind;
  /**
   * The notification's id: one outage keeps one id, so an app that joins it updates the notice shown
   * (src/core/notify-group.ts) instead of adding one.
   */
  readonly id: string;
  /** The app it leads with (the main app first). */
  readonly service: ServiceId;
  /** Every app it names, lead first: one, or the apps of one outage. */
  readonly services: readonly ServiceId[];
  /** When the outage began (down, reminder, back); when the change that did not hold began (unstable). */
  readonly since: number;
  /** How long it lasted (back) or has lasted (reminder), ms. */
  readonly durationMs: number;
  /** The best working channel to go to instead (down, reminder). */
  readonly fallback: ChannelId | null;
  /** Other networks that reach the service (local: "other browsers can, 120 networks"). */
  readonly othersUp?: number;
}

/**
 * What the user was last told: nothing or "back" (ok), "down" (down, also when a down was not shown
 * because of maintenance or silence, so it is not announced later), "unstable", or "local": it fails
 * from the user's network while other networks reach it (one notice of its own, never "down").
 */
type Phase = 'ok' | 'down' | 'unstable' | 'local';
/** What a check shows of a service, as the user is told it. */
type Seen = 'down' | 'up' | 'local';

/** Checks in a row that must agree on a change outside flapping. */
const CONFIRM_CHECKS = 2;

export interface ServiceNotifyState {
  readonly phase: Phase;
  /**
   * A change seen by `checks` checks in a row (since: when the new state began), waiting for enough
   * of them to agree. Stored before `checks` existed: read as one check.
   */
  readonly pending: { readonly to: Seen; readonly since: number; readonly checks: number } | null;
  /** Start of the announced outage (phase down, and unstable after a down). */
  readonly downSince: number | null;
  /** The down notice of this outage was shown (so its "back" is worth showing). */
  readonly downShown: boolean;
  readonly lastReminderAt: number | null;
  /**
   * Changes that did not hold while the service was unstable, in the current flapping spell (reset
   * when the flag clears): the "unstable" notice goes out when the second one drops.
   */
  readonly heldBack: number;
}

export interface NotifyState {
  readonly snoozedUntil: number | null;
  readonly services: Readonly<Partial<Record<ServiceId, ServiceNotifyState>>>;
  /** Outages announced and still going on, one notice each (src/core/notify-group.ts). */
  readonly groups: readonly NoticeGroup[];
}

export const INITIAL_NOTIFY_STATE: NotifyState = { snoozedUntil: null, services: {}, groups: [] };

export interface NotifySettings {
  readonly enabled: boolean;
  readonly primary: ServiceId;
  readonly watched: readonly ServiceId[];
  readonly fallbacks: readonly ChannelId[];
  /** 0 = no reminders; otherwise at least 30. */
  readonly reminderMinutes: number;
  /** Minutes since local midnight; null = no quiet hours. */
  readonly quietHours: { readonly start: number; readonly end: number } | null;
  readonly alertOn: AlertOn;
  /** Apps muted now (src/core/mutes.ts): no notices of their own, and out of their outage's notices. */
  readonly muted: readonly ServiceId[];
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
  heldBack: 0,
};

/** Changes that must fail to hold within one flapping spell before it is announced as unstable. */
const UNSTABLE_AFTER = 2;

export function decideNotifications(
  next: MonitorState,
  notify: NotifyState,
  settings: NotifySettings,
  now: number,
  localMinutes: number,
  t: Thresholds,
): { notices: Notice[]; notify: NotifyState } {
  // The user's own connection is never news: nothing changes while offline or behind a portal.
  if (next.connectivity !== 'online') return { notices: [], notify };
  const silenced =
    !settings.enabled ||
    (notify.snoozedUntil !== null && now < notify.snoozedUntil) ||
    inQuietHours(settings.quietHours, localMinutes);
  const order = [settings.primary, ...settings.watched.filter((id) => id !== settings.primary)];
  const perApp: Notice[] = [];
  const services: Partial<Record<ServiceId, ServiceNotifyState>> = {};
  const fallbackFor = (id: ServiceId) => rankFallbacks(id, settings.fallbacks, next)[0]?.channel ?? null;
  for (const id of order) {
    const s = next.services[id];
    const prev = notify.services[id] ?? FRESH;
    if (!s || s.status === 'unknown') {
      services[id] = prev;
      continue;
    }
    const muted = settings.muted.includes(id);
    const fallback = () => fallbackFor(id);
    const step = decideService(id, s, prev, { now, silenced: silenced || muted, settings, t, fallback });
    if (step.notice) perApp.push(step.notice);
    services[id] = step.state;
  }
  const grouped = groupNotices(perApp, notify.groups ?? [], {
    now,
    open: (id) => services[id]?.downShown === true,
    muted: (id) => settings.muted.includes(id),
    fallbackFor,
    joinMs: t.groupJoinMs,
    reminderMs: settings.reminderMinutes * 60_000,
  });
  // Decided in full whatever the user wants to hear, so a "back" still follows a down kept quiet.
  const notices = grouped.notices.filter((n) =>
    settings.alertOn === 'both' ? true : settings.alertOn === 'back' ? n.kind === 'back' : n.kind !== 'back',
  );
  return { notices, notify: { snoozedUntil: notify.snoozedUntil, services, groups: grouped.groups } };
}

/** One app's notice, before grouping: its id is its kind, the app and when the change began. */
function appNotice(n: Omit<Notice, 'id' | 'services'>): Notice {
  return { ...n, id: noticeId(n.kind, n.service, n.since), services: [n.service] };
}

interface Context {
  readonly now: number;
  readonly silenced: boolean;
  readonly settings: NotifySettings;
  readonly t: Thresholds;
  readonly fallback: () => ChannelId | null;
}

/** One service, one check: what to announce, and what to remember. */
function decideService(
  id: ServiceId,
  s: ServiceState,
  prev: ServiceNotifyState,
  c: Context,
): { notice: Notice | null; state: ServiceNotifyState } {
  const { now, silenced } = c;
  const base: ServiceNotifyState = s.unstable ? prev : { ...prev, heldBack: 0 };
  // Degraded (slow, an official minor incident, a crowd spike) is neither down nor back; failing
  // only from here while others reach it is a change of its own.
  const seen: Seen | null =
    s.status === 'down' ? 'down' : s.status === 'up' ? 'up' : s.cause === 'local' ? 'local' : null;
  const told: Seen | null = prev.phase === 'unstable' ? null : prev.phase === 'ok' ? 'up' : prev.phase;

  if (seen === null || seen === told) {
    const dropped = prev.pending;
    const heldBack = dropped && s.unstable ? base.heldBack + 1 : base.heldBack;
    const state: ServiceNotifyState = { ...base, pending: null, heldBack };
    if (dropped && heldBack === UNSTABLE_AFTER && prev.phase !== 'unstable') {
      // Changes keep failing to hold: the one "unstable" notice of this flapping spell.
      const notice: Notice | null = silenced
        ? null
        : appNotice({ kind: 'unstable', service: id, since: dropped.since, durationMs: 0, fallback: null });
      return { notice, state: { ...state, phase: 'unstable' } };
    }
    if (seen === 'down' && prev.phase === 'down') return remind(id, s, state, c);
    return { notice: null, state };
  }

  // A change from what the user was told (after "unstable", any state): count the checks.
  const pending: NonNullable<ServiceNotifyState['pending']> =
    prev.pending?.to === seen
      ? { ...prev.pending, checks: prev.pending.checks + 1 }
      : { to: seen, since: s.since, checks: 1 };
  const needed = !s.unstable
    ? CONFIRM_CHECKS
    : prev.phase === 'unstable'
      ? Number.POSITIVE_INFINITY
      : c.t.flapSettleChecks;
  if (pending.checks < needed) return { notice: null, state: { ...base, pending } };

  if (seen === 'local') {
    // "Can't reach it from your network; other browsers can": once per episode. An outage announced
    // before stays announced (downSince, downShown), so its "back" still comes when it answers.
    const show = !silenced && !s.maintenance;
    const othersUp = s.scope ? s.scope.total - s.scope.down : 0;
    const notice: Notice | null = show
      ? appNotice({
          kind: 'local',
          service: id,
          since: pending.since,
          durationMs: 0,
          fallback: null,
          othersUp,
        })
      : null;
    return { notice, state: { ...base, phase: 'local', pending: null, lastReminderAt: null } };
  }
  if (seen === 'down') {
    // Scheduled maintenance is announced by the service itself: not an alert.
    const show = !silenced && !s.maintenance;
    const notice: Notice | null = show
      ? appNotice({
          kind: 'down',
          service: id,
          since: pending.since,
          durationMs: now - pending.since,
          fallback: c.fallback(),
        })
      : null;
    return {
      notice,
      state: {
        ...base,
        phase: 'down',
        pending: null,
        downSince: pending.since,
        downShown: show,
        lastReminderAt: show ? now : null,
      },
    };
  }
  // Back up: worth saying only if the user heard it was down.
  const since = prev.downSince ?? pending.since;
  const notice: Notice | null =
    prev.downShown && !silenced
      ? appNotice({ kind: 'back', service: id, since, durationMs: pending.since - since, fallback: null })
      : null;
  return { notice, state: { ...FRESH, heldBack: base.heldBack } };
}

/** Optional reminders while an announced outage lasts: at most every reminderMinutes (≥ 30). */
function remind(
  id: ServiceId,
  s: ServiceState,
  state: ServiceNotifyState,
  c: Context,
): { notice: Notice | null; state: ServiceNotifyState } {
  const { now, settings } = c;
  const due =
    settings.reminderMinutes >= MIN_REMINDER_MINUTES &&
    !c.silenced &&
    state.downShown &&
    now - (state.lastReminderAt ?? 0) >= settings.reminderMinutes * 60_000;
  if (!due) return { notice: null, state };
  const since = state.downSince ?? s.since;
  return {
    notice: appNotice({
      kind: 'reminder',
      service: id,
      since,
      durationMs: now - since,
      fallback: c.fallback(),
    }),
    state: { ...state, lastReminderAt: now },
  };
}
