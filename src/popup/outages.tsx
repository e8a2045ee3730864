import type { CustomApp } from '../core/custom-apps';
import type { Translate } from '../core/format';
import { formatDuration } from '../core/format-more';
import { dateTimeFormat } from '../core/intl-cache';
import type { Outage } from '../core/outages';
import { serviceName } from '../core/services';

const DAY = 24 * 60 * 60_000;

/** The outages, most recent first, at most `limit` of them. */
export function latestOutages(outages: readonly Outage[], limit: number): Outage[] {
  return [...outages].sort((a, b) => b.start - a.start).slice(0, limit);
}

/**
 * When an outage began: "Tue 14:02" within the last six days; older ones carry their date
 * ("12 Nov, 14:02"), because the weekday alone would point at the wrong week.
 */
export function outageWhen(start: number, locale: string, now: number): string {
  const recent = now - start < 6 * DAY;
  const options: Intl.DateTimeFormatOptions = recent
    ? { weekday: 'short', hour: '2-digit', minute: '2-digit' }
    : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
  return dateTimeFormat(locale, options).format(start);
}

/** "WhatsApp · Tue 14:02 · 2 h 3 min", or "… · ongoing" while it lasts. */
export function outageText(
  outage: Outage,
  t: Translate,
  locale: string,
  now: number,
  apps: readonly CustomApp[],
): string {
  const duration =
    outage.end === null ? t('outageOngoing') : formatDuration(outage.end - outage.start, t, locale);
  return t('outageLine', [
    serviceName(outage.service, apps),
    outageWhen(outage.start, locale, now),
    duration,
  ]);
}

/** What a list of outages is shown from. */
export interface OutagesProps {
  readonly outages: readonly Outage[];
  readonly t: Translate;
  readonly locale: string;
  readonly now: number;
  /** The user's own apps (the settings'), to name one of them. */
  readonly apps: readonly CustomApp[];
}

/** One line per outage, most recent first. */
export function OutageList(props: OutagesProps) {
  const { outages, t, locale, now, apps } = props;
  return (
    <ul class="outage-list">
      {outages.map((o) => (
        <li
          key={`${o.service}-${o.start}`}
          data-outage={o.service}
          data-ongoing={o.end === null ? '' : undefined}
        >
          {outageText(o, t, locale, now, apps)}
        </li>
      ))}
    </ul>
  );
}

/** The popup's short list: the last three outages, nothing at all when there were none. */
export function RecentOutages(props: OutagesProps) {
  const { outages, t, locale, now, apps } = props;
  if (outages.length === 0) return null;
  return (
    <section class="recent-outages" aria-labelledby="recent-outages-title">
      <h2 id="recent-outages-title">{t('outagesTitle')}</h2>
      <OutageList outages={latestOutages(outages, 3)} t={t} locale={locale} now={now} apps={apps} />
    </section>
  );
}
