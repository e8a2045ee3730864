import { CATALOG, type ServiceId } from './catalog';
import { formatClock, formatDuration, formatList, type Translate } from './format';
import { isStale } from './stale';
import type { Thresholds } from './thresholds';
import type { MonitorState, ServiceState, Status } from './types';

/** The badge states of the contract (§3), most urgent first. */
export type BadgeKind = 'stale' | 'offline' | 'primary-down' | 'other-down' | 'degraded' | 'quiet';

export interface BadgeStyle {
  readonly text: string;
  readonly color: string | null;
  readonly textColor: string | null;
}

// Text differs between every non-quiet state, so the badge never relies on colour alone.
export const BADGE_STYLES: Record<BadgeKind, BadgeStyle> = {
  quiet: { text: '', color: null, textColor: null },
  'primary-down': { text: '!', color: '#C5221F', textColor: '#FFFFFF' },
  'other-down': { text: '•', color: '#F29900', textColor: '#000000' },
  degraded: { text: '?', color: '#F29900', textColor: '#000000' },
  offline: { text: '×', color: '#5F6368', textColor: '#FFFFFF' },
  stale: { text: '…', color: '#5F6368', textColor: '#FFFFFF' },
};

export interface BadgeInput {
  readonly state: MonitorState;
  readonly primary: ServiceId;
  readonly watched: readonly ServiceId[];
  readonly intervalSeconds: number;
  readonly now: number;
  readonly thresholds: Thresholds;
}

export function badgeKind(input: BadgeInput): BadgeKind {
  const { state, primary, watched } = input;
  if (isStale(state, input.now, input.intervalSeconds, input.thresholds)) return 'stale';
  if (state.connectivity !== 'online') return 'offline';
  const statusOf = (id: ServiceId): Status => state.services[id]?.status ?? 'unknown';
  if (statusOf(primary) === 'down') return 'primary-down';
  if (watched.some((id) => statusOf(id) === 'down')) return 'other-down';
  // An app that answers but keeps going up and down is worth the amber "?" too (the legend says so).
  if (watched.some((id) => statusOf(id) === 'degraded' || flapping(state.services[id]))) return 'degraded';
  return 'quiet';
}

/** Up, but going up and down: the flag beside the status (a service that fails is down instead). */
function flapping(s: ServiceState | undefined): boolean {
  return s?.status === 'up' && s.unstable;
}

/** A one-line summary naming the primary first: "WhatsApp: down for 12 min · Telegram and Signal: up". */
export function badgeTitle(input: BadgeInput, kind: BadgeKind, t: Translate, locale: string): string {
  const { state, primary, now } = input;
  const primaryName = CATALOG[primary].name;
  if (kind === 'stale') {
    return state.checkedAt === null
      ? t('titleNotChecked', [primaryName])
      : t('titleStale', [primaryName, formatClock(state.checkedAt, locale)]);
  }
  if (kind === 'offline') {
    return t(state.connectivity === 'captive' ? 'titleCaptive' : 'titleOffline', [primaryName]);
  }
  const others = input.watched.filter((id) => id !== primary);
  const parts = [servicePhrase([primary], state.services[primary], now, t, locale)];
  // Services with a duration (down, degraded) and flapping ones each get their own phrase; the calm
  // ones are grouped.
  for (const status of ['down', 'degraded', 'unstable', 'unknown', 'up'] as const) {
    const ids = others.filter((id) => {
      const s = state.services[id];
      if (status === 'unstable') return flapping(s);
      return (s?.status ?? 'unknown') === status && !(status === 'up' && flapping(s));
    });
    if (ids.length === 0) continue;
    if (status === 'down' || status === 'degraded' || status === 'unstable') {
      for (const id of ids) parts.push(servicePhrase([id], state.services[id], now, t, locale));
    } else {
      parts.push(servicePhrase(ids, state.services[ids[0] as ServiceId], now, t, locale));
    }
  }
  return parts.join(' · ');
}

function servicePhrase(
  ids: readonly ServiceId[],
  s: ServiceState | undefined,
  now: number,
  t: Translate,
  locale: string,
): string {
  const names = formatList(
    ids.map((id) => CATALOG[id].name),
    locale,
  );
  const status = s?.status ?? 'unknown';
  if (s && (status === 'down' || status === 'degraded')) {
    // Reports from others while the probes answer are a possible outage, not instability.
    const key =
      status === 'down'
        ? 'titleDownFor'
        : s.cause === 'crowd'
          ? 'titlePossibleOutageFor'
          : 'titleDegradedFor';
    return t(key, [names, formatDuration(now - s.since, t, locale)]);
  }
  // Up and flapping: "WhatsApp: unstable", without a duration (it has been up only since the last change).
  if (flapping(s)) return t('titleStatus', [names, t('statusDegraded')]);
  return t('titleStatus', [names, t(status === 'up' ? 'statusUp' : 'statusUnknown')]);
}
