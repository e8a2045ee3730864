import { dateTimeFormat, listFormat, numberFormat, pluralRules } from './intl-cache';
import type { MessageKey } from './messages';

/** Localizes a message key with positional substitutions ($1, $2…). */
export type Translate = (key: MessageKey, substitutions?: readonly (string | number)[]) => string;

/** CLDR plural categories: what `Intl.PluralRules#select` answers. */
export type PluralCategory = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';

/**
 * A message that comes in plural forms, `<base>_one`, `<base>_other`…: every English key that has
 * both `_one` and `_other` (English has exactly those two, so `problem_other` alone is no base).
 */
export type PluralBase = {
  [K in MessageKey]: K extends `${infer B}_other` ? (`${B}_one` extends MessageKey ? B : never) : never;
}[MessageKey];

/**
 * The languages Detour ships messages in (`_locales/<lang>`), each with the plural categories of its
 * catalog: exactly what its `Intl.PluralRules` yields (the locales test holds them to that).
 */
export const MESSAGE_PLURALS = {
  en: ['one', 'other'],
  it: ['one', 'many', 'other'],
  fr: ['one', 'many', 'other'],
  ar: ['zero', 'one', 'two', 'few', 'many', 'other'],
  id: ['other'],
} as const satisfies Record<string, readonly PluralCategory[]>;

export type MessageLanguage = keyof typeof MESSAGE_PLURALS;

/**
 * The language the messages come from for a UI locale: like the browser, its language when Detour
 * ships it ("fr-CA" → fr), else the default locale, English ("pt-BR" → en). Plural forms must be
 * picked by the rules of that language, not of the UI locale, or a key the catalog lacks is asked for.
 */
export function messageLanguage(locale: string): MessageLanguage {
  const lang = locale.split(/[-_]/)[0]?.toLowerCase() ?? '';
  return Object.hasOwn(MESSAGE_PLURALS, lang) ? (lang as MessageLanguage) : 'en';
}

/** How counts are formatted (and what a format kit stands in for: format-kit.ts). */
export const NUMBER_OPTIONS: Intl.NumberFormatOptions = { maximumFractionDigits: 0 };
/** How clock times are formatted (the same). */
export const CLOCK_OPTIONS: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };

/** "1,040" in English, "1 040" in French: counts as people read them in the UI locale. */
export function formatNumber(n: number, locale: string): string {
  return numberFormat(locale, NUMBER_OPTIONS).format(n);
}

/**
 * A counted phrase in its grammatical form: `<base>_<category>` by the plural rules of the messages'
 * language, with `n`, formatted for the locale, as $1 and `rest` as $2…. A category the catalog does
 * not have (a browser whose CLDR knows one more) falls back to `_other`: a missing key would make the
 * browser answer in English.
 */
export function plural(
  t: Translate,
  locale: string,
  base: PluralBase,
  n: number,
  rest: readonly (string | number)[] = [],
): string {
  const lang = messageLanguage(locale);
  const category = pluralRules(lang).select(n) as PluralCategory;
  const known: readonly PluralCategory[] = MESSAGE_PLURALS[lang];
  const form = known.includes(category) ? category : 'other';
  return t(`${base}_${form}` as MessageKey, [formatNumber(n, locale), ...rest]);
}

/** "14:02" in the user's locale. */
export function formatClock(at: number, locale: string): string {
  return dateTimeFormat(locale, CLOCK_OPTIONS).format(at);
}

export const LIST_OPTIONS: Intl.ListFormatOptions = { style: 'long', type: 'conjunction' };

/** "Telegram and Signal" in the user's language. */
export function formatList(items: readonly string[], locale: string): string {
  return listFormat(locale, LIST_OPTIONS).format(items);
}
