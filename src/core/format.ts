import type { MessageKey } from './messages';

/** Localizes a message key with positional substitutions ($1, $2…). */
export type Translate = (key: MessageKey, substitutions?: readonly (string | number)[]) => string;

const MINUTE = 60_000;

/** "<1 min", "12 min", "2 h 3 min", "3 d 4 h": the lengths people quote about outages. */
export function formatDuration(ms: number, t: Translate): string {
  const minutes = Math.floor(Math.max(0, ms) / MINUTE);
  if (minutes < 1) return t('durationUnderMinute');
  if (minutes < 60) return t('durationMinutes', [minutes]);
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return t('durationHoursMinutes', [hours, minutes % 60]);
  return t('durationDaysHours', [Math.floor(hours / 24), hours % 24]);
}

/** "14:02" in the user's locale. */
export function formatClock(at: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(at);
}

/** "Telegram and Signal" in the user's language. */
export function formatList(items: readonly string[], locale: string): string {
  return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(items);
}
