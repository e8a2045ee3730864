// The badge's tooltip: a one-line summary in words, naming the main app first. Apart from badge.ts
// (the kind and colours, which pages need too), as only the background writes the tooltip.

import { type BadgeInput, type BadgeKind, flapping } from './badge';
import type { CustomApp } from './custom-apps';
import { formatClock, formatList, type Translate } from './format';
import { formatDuration } from './format-more';
import { type ServiceId, serviceName } from './services';
import type { ServiceState } from './types';

/** A one-line summary naming the primary first: "WhatsApp: down for 12 min · Telegram and Signal: up". */
export function badgeTitle(
  input: BadgeInput,
  kind: BadgeKind,
  t: Translate,
  locale: string,
  apps: readonly CustomApp[],
): string {
  const { state, primary, now } = input;
  const primaryName = serviceName(primary, apps);
  if (kind === 'stale') {
    return state.checkedAt === null
      ? t('titleNotChecked', [primaryName])
      : t('titleStale', [primaryName, formatClock(state.checkedAt, locale)]);
  }
  if (kind === 'offline') {
    return t(state.connectivity === 'captive' ? 'titleCaptive' : 'titleOffline', [primaryName]);
  }
  const others = input.watched.filter((id) => id !== primary);
  const parts = [servicePhrase([primary], state.services[primary], now, t, locale, apps)];
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
      for (const id of ids) parts.push(servicePhrase([id], state.services[id], now, t, locale, apps));
    } else {
      parts.push(servicePhrase(ids, state.services[ids[0] as ServiceId], now, t, locale, apps));
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
  apps: readonly CustomApp[],
): string {
  const names = formatList(
    ids.map((id) => serviceName(id, apps)),
    locale,
  );
  const status = s?.status ?? 'unknown';
  if (s && (status === 'down' || status === 'degraded')) {
    // Reports from others while the probes answer are a possible outage, not instability; failing
    // only from here while other networks reach it is this network's trouble, never "down".
    const key =
      status === 'down'
        ? 'titleDownFor'
        : s.cause === 'crowd'
          ? 'titlePossibleOutageFor'
          : s.cause === 'local'
            ? 'titleLocalFor'
            : 'titleDegradedFor';
    return t(key, [names, formatDuration(now - s.since, t, locale)]);
  }
  // Up and flapping: "WhatsApp: unstable", without a duration (it has been up only since the last change).
  if (flapping(s)) return t('titleStatus', [names, t('statusDegraded')]);
  return t('titleStatus', [names, t(status === 'up' ? 'statusUp' : 'statusUnknown')]);
}
