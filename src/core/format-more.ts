// Formats the pages need after their first answer: durations, shares and country names (format.ts
// holds what the first paint needs).

import { plural, type Translate } from './format';
import { displayNames, numberFormat } from './intl-cache';

/** "98%", "98 %" in French: a share (0…1) in the UI locale. */
export function formatPercent(share: number, locale: string): string {
  return numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

const MINUTE = 60_000;

/** "<1 min", "12 min", "2 h 3 min", "3 d 4 h": the lengths people quote about outages. */
export function formatDuration(ms: number, t: Translate, locale: string): string {
  const minutes = Math.floor(Math.max(0, ms) / MINUTE);
  if (minutes < 1) return t('durationUnderMinute');
  if (minutes < 60) return plural(t, locale, 'durationMinutes', minutes);
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    return t('durationHoursMinutes', [
      plural(t, locale, 'durationHours', hours),
      plural(t, locale, 'durationMinutes', minutes % 60),
    ]);
  }
  return t('durationDaysHours', [
    plural(t, locale, 'durationDays', Math.floor(hours / 24)),
    plural(t, locale, 'durationHours', hours % 24),
  ]);
}

/**
 * "Italy" for IT in English, "Italia" in Italian. The code may come from the network: anything that
 * is not two letters, or that the browser cannot name, is shown as it came (as text).
 */
export function countryName(code: string, locale: string): string {
  if (!/^[A-Z]{2}$/.test(code)) return code;
  try {
    return displayNames(locale, { type: 'region', fallback: 'code' }).of(code) ?? code;
  } catch {
    return code;
  }
}
