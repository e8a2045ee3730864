// A format kit: how one locale writes the counts, clock times and lists of names of the popup's first
// paint, learnt from Intl by the background and carried in the popup's seed. In a fresh page process
// (the popup opened while the worker sleeps) the first Intl number, date or list formatter costs 12 to
// 15 ms of locale data: more than the whole rest of the first paint. With a kit, the first paint
// builds none.
//
// A kit is made only when it writes exactly what Intl writes for its whole domain, every count from 0
// to 999, every minute of the day, and lists of the catalog's names, checked one by one
// (makeFormatKit); counts up to 9,999,999 are grouped as Intl groups them, checked on counts of every
// length. Outside that domain (a count of ten million, a user's own app in a list, a grouping the kit
// cannot write) the real formatter is built as before.

import { CLOCK_OPTIONS, LIST_OPTIONS, NUMBER_OPTIONS } from './format';
import { type Formatter, useListStandIn, useStandIn } from './intl-cache';
import { SERVICE_NAMES } from './services';

export type ClockPart =
  | { readonly part: 'hour' | 'minute' | 'dayPeriod' }
  | { readonly part: 'literal'; readonly text: string };

type HourCycle = 'h11' | 'h12' | 'h23' | 'h24';

export interface FormatKit {
  readonly locale: string;
  /** The locale's digits, 0 to 9, as it writes counts ("٠" to "٩" in Arabic). */
  readonly digits: readonly string[];
  readonly hourCycle: HourCycle;
  /** Whether an hour under 10 is written with two digits ("02:05 PM"). */
  readonly padHour: boolean;
  /** The clock's parts in order: "14:02" is hour, ":", minute. */
  readonly clock: readonly ClockPart[];
  /** Before and after noon ("AM", "PM"), for a clock with a day period. */
  readonly dayPeriods: readonly [string, string];
  /** How it groups the digits of a count of 1,000 or more; null when such a count needs Intl. */
  readonly grouping: Grouping | null;
  /** How it joins names ("WhatsApp and Signal"); null when a list of the catalog's names needs Intl. */
  readonly list: ListKit | null;
}

/** "1,234,567" in English, "12,34,567" in Hindi, "1234" but "12.345" in Spanish. */
export interface Grouping {
  readonly separator: string;
  /** Digits in the rightmost group (3), and in each group left of it (3; 2 in India). */
  readonly primary: number;
  readonly secondary: number;
  /** Digits the leftmost group needs before a count is grouped at all (2 in Spanish and Italian). */
  readonly minimum: number;
}

/** The texts around and between the names of a list, as Intl.ListFormat writes it. */
export interface ListKit {
  /** Two names: before the first, between them, after the second. */
  readonly pair: readonly [string, string, string];
  /** Three or more: before the first, after the first, after each middle one, before the last, after it. */
  readonly many: readonly [string, string, string, string, string];
}

/** Counts below this are written digit by digit: no locale groups them. */
export const KIT_COUNT_LIMIT = 1000;
/** Counts from KIT_COUNT_LIMIT to below this are grouped, when the kit has a grouping. */
export const KIT_GROUPED_LIMIT = 10_000_000;

const HOUR_CYCLES: readonly HourCycle[] = ['h11', 'h12', 'h23', 'h24'];

/** A count as the kit writes it, or null when it is outside the kit's domain. */
export function kitCount(kit: FormatKit, n: number): string | null {
  if (!Number.isInteger(n) || n < 0) return null;
  const written = (plain: string) => Array.from(plain, (d) => kit.digits[Number(d)] ?? d).join('');
  if (n < KIT_COUNT_LIMIT) return written(String(n));
  const { grouping } = kit;
  if (!grouping || n >= KIT_GROUPED_LIMIT) return null;
  const plain = String(n);
  if (plain.length < grouping.primary + grouping.minimum) return written(plain);
  const groups = [plain.slice(-grouping.primary)];
  for (let end = plain.length - grouping.primary; end > 0; end -= grouping.secondary) {
    groups.unshift(plain.slice(Math.max(0, end - grouping.secondary), end));
  }
  return groups.map(written).join(grouping.separator);
}

/** A time of day as the kit writes it, in the browser's time zone as Intl does. */
export function kitClock(kit: FormatKit, at: number): string {
  const date = new Date(at);
  const hours = date.getHours();
  const digits = (n: number, pad: boolean) =>
    kitCount(kit, n)?.padStart(pad ? 2 : 1, kit.digits[0] ?? '0') ?? String(n);
  return kit.clock
    .map((p) => {
      if (p.part === 'literal') return p.text;
      if (p.part === 'minute') return digits(date.getMinutes(), true);
      if (p.part === 'dayPeriod') return kit.dayPeriods[hours < 12 ? 0 : 1];
      return digits(hourOnCycle(hours, kit.hourCycle), kit.padHour);
    })
    .join('');
}

/** Names joined as the kit's list writes them. */
export function kitList(list: ListKit, names: readonly string[]): string {
  if (names.length < 2) return names[0] ?? '';
  if (names.length === 2) return list.pair[0] + names[0] + list.pair[1] + names[1] + list.pair[2];
  const [before, afterFirst, between, beforeLast, after] = list.many;
  const middle = names.slice(1, -1).join(between);
  return before + names[0] + afterFirst + middle + beforeLast + names[names.length - 1] + after;
}

const CATALOG_NAMES: ReadonlySet<string> = new Set(Object.values(SERVICE_NAMES));

function hourOnCycle(hours: number, cycle: HourCycle): number {
  if (cycle === 'h23') return hours;
  if (cycle === 'h24') return hours === 0 ? 24 : hours;
  if (cycle === 'h11') return hours % 12;
  return hours % 12 === 0 ? 12 : hours % 12;
}

/**
 * Until intl-cache's dropStandIns, formatNumber and formatClock in the kit's locale write with the kit:
 * counts in its domain, every clock time. A count outside it builds the real formatter.
 */
export function useFormatKit(kit: FormatKit): void {
  let real: Formatter | undefined;
  const count: Formatter = {
    format: (n) => {
      const written = kitCount(kit, n);
      if (written !== null) return written;
      real = real ?? new Intl.NumberFormat(kit.locale, NUMBER_OPTIONS);
      return real.format(n);
    },
  };
  useStandIn('number', kit.locale, NUMBER_OPTIONS, count);
  useStandIn('date', kit.locale, CLOCK_OPTIONS, { format: (at) => kitClock(kit, at) });
  const { list } = kit;
  if (!list) return;
  let realList: Intl.ListFormat | undefined;
  useListStandIn(kit.locale, LIST_OPTIONS, {
    format: (names) => {
      if (names.every((name) => CATALOG_NAMES.has(name))) return kitList(list, names);
      realList = realList ?? new Intl.ListFormat(kit.locale, LIST_OPTIONS);
      return realList.format(names);
    },
  });
}

/**
 * The kit for a locale, learnt from Intl and checked against it over the whole domain; null when the
 * locale writes something a kit cannot (a count with more than its digits, a clock of other parts).
 * Builds its own formatters: never a stand-in, which would be checked against itself.
 */
export function makeFormatKit(locale: string): FormatKit | null {
  try {
    const counts = new Intl.NumberFormat(locale, NUMBER_OPTIONS);
    const clocks = new Intl.DateTimeFormat(locale, CLOCK_OPTIONS);
    const digits = Array.from({ length: 10 }, (_, d) => counts.format(d));
    const at = (h: number, m: number) => new Date(2000, 0, 1, h, m).getTime();
    const hourCycle = clocks.resolvedOptions().hourCycle;
    if (hourCycle === undefined) return null;
    const partsOf = (h: number) => clocks.formatToParts(at(h, 5));
    // The literals are cut from format()'s own text: V8's format() writes a plain space where
    // formatToParts gives ICU's narrow no-break space ("1:05 PM" in English).
    const whole = clocks.format(at(13, 5));
    let offset = 0;
    const clock = partsOf(13).map((p): ClockPart => {
      const start = offset;
      offset += p.value.length;
      return p.type === 'hour' || p.type === 'minute' || p.type === 'dayPeriod'
        ? { part: p.type }
        : { part: 'literal', text: whole.slice(start, offset) };
    });
    const periodAt = (h: number) => partsOf(h).find((p) => p.type === 'dayPeriod')?.value ?? '';
    const hourAt1 = partsOf(1).find((p) => p.type === 'hour')?.value ?? '';
    const kit = readFormatKit({
      locale,
      digits,
      hourCycle,
      padHour: Array.from(hourAt1).length === 2,
      clock,
      dayPeriods: [periodAt(1), periodAt(13)],
      grouping: null,
      list: learnList(new Intl.ListFormat(locale, LIST_OPTIONS)),
    });
    if (kit === null) return null;
    for (let n = 0; n < KIT_COUNT_LIMIT; n++) if (kitCount(kit, n) !== counts.format(n)) return null;
    for (let minute = 0; minute < 24 * 60; minute++) {
      const t = at(Math.floor(minute / 60), minute % 60);
      if (kitClock(kit, t) !== clocks.format(t)) return null;
    }
    return { ...kit, grouping: learnGrouping(kit, counts) };
  } catch {
    return null; // an unknown locale, or an Intl without formatToParts
  }
}

// Counts of every length from 4 to 7 digits, first, last and in between: Intl writes a count digit by
// digit into groups, so a grouping that writes these writes them all.
const GROUPING_CHECKS = [
  1000, 1001, 1234, 4096, 9999, 10000, 12345, 54321, 99999, 100000, 123456, 999999, 1000000, 1234567, 9999999,
];

/** The locale's grouping, read from how Intl writes 1234567 and checked on GROUPING_CHECKS. */
function learnGrouping(kit: FormatKit, counts: Intl.NumberFormat): Grouping | null {
  // As for the clock, the separator is cut from format()'s own text at formatToParts' offsets.
  const whole = counts.format(1234567);
  const sizes: number[] = [];
  let separator = '';
  let offset = 0;
  for (const part of counts.formatToParts(1234567)) {
    if (part.type === 'integer') sizes.push(Array.from(part.value).length);
    if (part.type === 'group') separator = whole.slice(offset, offset + part.value.length);
    offset += part.value.length;
  }
  const grouped1000 = counts.formatToParts(1000).some((p) => p.type === 'group');
  const grouping = readGrouping({
    separator,
    primary: sizes[sizes.length - 1],
    secondary: sizes[sizes.length - 2],
    minimum: grouped1000 ? 1 : 2,
  });
  if (!grouping) return null;
  const withGrouping = { ...kit, grouping };
  return GROUPING_CHECKS.every((n) => kitCount(withGrouping, n) === counts.format(n)) ? grouping : null;
}

// Private-use characters stand for the names while the list's texts are learnt.
const NAME_SLOTS = ['\uE000', '\uE001', '\uE002', '\uE003'];

/**
 * The texts of the locale's lists, cut from Intl's lists of two and four stand-ins, then checked on
 * the catalog's names: every name in every place of lists of two to eight. Null when one differs
 * (Spanish writes "e" before "Instagram", not "y"): those lists are left to Intl.
 */
function learnList(lists: Intl.ListFormat): ListKit | null {
  const cut = (n: number): string[] | null => {
    const written = lists.format(NAME_SLOTS.slice(0, n));
    const texts: string[] = [];
    let from = 0;
    for (const slot of NAME_SLOTS.slice(0, n)) {
      const at = written.indexOf(slot, from);
      if (at < 0) return null;
      texts.push(written.slice(from, at));
      from = at + 1;
    }
    return [...texts, written.slice(from)];
  };
  const [two, four] = [cut(2), cut(4)];
  const list = readListKit({ pair: two, many: four });
  if (!list) return null;
  const names = [...CATALOG_NAMES];
  for (let turn = 0; turn < names.length; turn++) {
    const turned = [...names.slice(turn), ...names.slice(0, turn)];
    for (let n = 2; n <= names.length; n++) {
      const some = turned.slice(0, n);
      if (kitList(list, some) !== lists.format(some)) return null;
    }
  }
  return list;
}

const DIGIT = /^\p{Nd}$/u;
const DIGIT_ANYWHERE = /\p{Nd}/u;
const MAX_TEXT = 16;
const text = (v: unknown): v is string =>
  typeof v === 'string' && v.length <= MAX_TEXT && !DIGIT_ANYWHERE.test(v);

function readClockPart(raw: unknown): ClockPart | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { part, text: value } = raw as Record<string, unknown>;
  if (part === 'hour' || part === 'minute' || part === 'dayPeriod') return { part };
  return part === 'literal' && text(value) ? { part, text: value } : null;
}

/** A grouping read from a seed: a short separator without digits, groups of 1 to 4, or null. */
function readGrouping(raw: unknown): Grouping | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { separator, primary, secondary, minimum } = raw as Record<string, unknown>;
  const size = (v: unknown, max: number): v is number =>
    Number.isInteger(v) && (v as number) >= 1 && (v as number) <= max;
  if (!text(separator) || separator === '') return null;
  if (!size(primary, 4) || !size(secondary, 4) || !size(minimum, 3)) return null;
  return { separator, primary, secondary, minimum };
}

/** A list's texts read from a seed: three and five short texts without digits, or null. */
function readListKit(raw: unknown): ListKit | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { pair, many } = raw as Record<string, unknown>;
  if (!Array.isArray(pair) || pair.length !== 3 || !pair.every(text)) return null;
  if (!Array.isArray(many) || many.length !== 5 || !many.every(text)) return null;
  return {
    pair: pair as [string, string, string],
    many: many as [string, string, string, string, string],
  };
}

/**
 * A kit read from a seed, which anyone can type: ten digits of one Unicode digit each, one hour and
 * one minute, short texts without digits. Null when anything is off; a grouping or a list that is off
 * is dropped, and the rest kept.
 */
export function readFormatKit(raw: unknown): FormatKit | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const { locale, digits, hourCycle, padHour, clock, dayPeriods, grouping, list } = r;
  if (typeof locale !== 'string' || locale.length === 0 || locale.length > 35) return null;
  if (!Array.isArray(digits) || digits.length !== 10) return null;
  if (!digits.every((d) => typeof d === 'string' && DIGIT.test(d))) return null;
  if (!HOUR_CYCLES.includes(hourCycle as HourCycle) || typeof padHour !== 'boolean') return null;
  if (!Array.isArray(clock) || clock.length > 8) return null;
  const parts = clock.map(readClockPart);
  if (parts.some((p) => p === null)) return null;
  const count = (name: string) => parts.filter((p) => p?.part === name).length;
  if (count('hour') !== 1 || count('minute') !== 1 || count('dayPeriod') > 1) return null;
  if (!Array.isArray(dayPeriods) || dayPeriods.length !== 2 || !dayPeriods.every(text)) return null;
  return {
    locale,
    digits: digits as string[],
    hourCycle: hourCycle as HourCycle,
    padHour,
    clock: parts as ClockPart[],
    dayPeriods: [dayPeriods[0] as string, dayPeriods[1] as string],
    grouping: readGrouping(grouping),
    list: readListKit(list),
  };
}
