// Intl formatters, built once per (kind, locale, options) and kept for the page's life. Building one
// costs far more than using it: measured in a warm popup open, a DateTimeFormat built per row took
// 4.3 ms and a NumberFormat per count 1.4 ms, about a tenth of the time to the first status.
// The cache stays small: a page uses a handful of option sets in one or two locales.
const made = new Map<string, unknown>();
// Stand-ins a page was handed for its first paint (the popup's seed: format-kit.ts), asked before
// anything is built: in a fresh page process the first formatter costs 12 to 15 ms of locale data.
const standIns = new Map<string, Formatter>();
const listStandIns = new Map<string, ListFormatter>();

/** What the pages use of a formatter: a stand-in has only this. */
export interface Formatter {
  format(value: number): string;
}

/** What the pages use of a list formatter. */
export interface ListFormatter {
  format(items: readonly string[]): string;
}

function once<T>(key: string, make: () => T): T {
  const known = made.get(key);
  if (known !== undefined) return known as T;
  const value = make(); // an invalid locale throws here, and nothing is kept
  made.set(key, value);
  return value;
}

const keyOf = (kind: string, locale: string, options: object) =>
  `${kind}|${locale}|${JSON.stringify(options)}`;

export const numberFormat = (locale: string, options: Intl.NumberFormatOptions): Formatter =>
  standIns.get(keyOf('number', locale, options)) ??
  once(keyOf('number', locale, options), () => new Intl.NumberFormat(locale, options));

export const dateTimeFormat = (locale: string, options: Intl.DateTimeFormatOptions): Formatter =>
  standIns.get(keyOf('date', locale, options)) ??
  once(keyOf('date', locale, options), () => new Intl.DateTimeFormat(locale, options));

/**
 * Until `dropStandIns`, formatting numbers (or dates) with these options in this locale goes to
 * `formatter`, which must write what Intl would.
 */
export function useStandIn(
  kind: 'number' | 'date',
  locale: string,
  options: object,
  formatter: Formatter,
): void {
  standIns.set(keyOf(kind, locale, options), formatter);
}

/** The same for lists: until `dropStandIns`, lists in this locale with these options go to `formatter`. */
export function useListStandIn(locale: string, options: object, formatter: ListFormatter): void {
  listStandIns.set(keyOf('list', locale, options), formatter);
}

export function dropStandIns(): void {
  standIns.clear();
  listStandIns.clear();
}

export const listFormat = (locale: string, options: Intl.ListFormatOptions): ListFormatter =>
  listStandIns.get(keyOf('list', locale, options)) ??
  once(keyOf('list', locale, options), () => new Intl.ListFormat(locale, options));

export const pluralRules = (locale: string): Intl.PluralRules =>
  once(keyOf('plural', locale, {}), () => new Intl.PluralRules(locale));

export const displayNames = (locale: string, options: Intl.DisplayNamesOptions): Intl.DisplayNames =>
  once(keyOf('names', locale, options), () => new Intl.DisplayNames(locale, options));
