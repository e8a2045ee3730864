// A format kit: how one locale writes the counts and clock times of the popup's first paint, learnt
// from Intl by the background and carried in the popup's seed. In a fresh page process (the popup
// opened while the worker sleeps) the first Intl number or date formatter costs 12 to 15 ms of
// locale data: more than the whole rest of the first paint. With a kit, the first paint builds none.
//
// A kit is made only when it writes exactly what Intl writes for its whole domain, every count from 0
// to 999 and every minute of the day, checked one by one (makeFormatKit). Outside that domain (a count
// of 1,000 or more, say) the real formatter is built as before.

import { CLOCK_OPTIONS, NUMBER_OPTIONS } from './format';
import { type Formatter, useStandIn } from './intl-cache';

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
}

/** Counts below this are written digit by digit: no locale groups them. */
export const KIT_COUNT_LIMIT = 1000;

const HOUR_CYCLES: readonly HourCycle[] = ['h11', 'h12', 'h23', 'h24'];

/** A count as the kit writes it, or null when it is outside the kit's domain. */
export function kitCount(kit: FormatKit, n: number): string | null {
  if (!Number.isInteger(n) || n < 0 || n >= KIT_COUNT_LIMIT) return null;
  return Array.from(String(n), (d) => kit.digits[Number(d)] ?? d).join('');
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
    });
    if (kit === null) return null;
    for (let n = 0; n < KIT_COUNT_LIMIT; n++) if (kitCount(kit, n) !== counts.format(n)) return null;
    for (let minute = 0; minute < 24 * 60; minute++) {
      const t = at(Math.floor(minute / 60), minute % 60);
      if (kitClock(kit, t) !== clocks.format(t)) return null;
    }
    return kit;
  } catch {
    return null; // an unknown locale, or an Intl without formatToParts
  }
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

/**
 * A kit read from a seed, which anyone can type: ten digits of one Unicode digit each, one hour and
 * one minute, short texts without digits. Null when anything is off.
 */
export function readFormatKit(raw: unknown): FormatKit | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const { locale, digits, hourCycle, padHour, clock, dayPeriods } = r;
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
  };
}
