// A format kit writes the popup's first counts and clock times without building an Intl formatter
// (12 to 15 ms in a fresh page process). It must write exactly what Intl writes, in every locale our
// users have, and a forged one must not get in.

import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CLOCK_OPTIONS,
  formatClock,
  formatList,
  formatNumber,
  LIST_OPTIONS,
  NUMBER_OPTIONS,
} from '../../src/core/format';
import {
  type FormatKit,
  KIT_COUNT_LIMIT,
  KIT_GROUPED_LIMIT,
  kitClock,
  kitCount,
  kitList,
  makeFormatKit,
  readFormatKit,
  useFormatKit,
} from '../../src/core/format-kit';
import { dropStandIns } from '../../src/core/intl-cache';
import { SERVICE_NAMES } from '../../src/core/services';

afterEach(() => {
  dropStandIns();
  vi.restoreAllMocks();
});

const LOCALES = [
  'en',
  'en-US',
  'en-GB',
  'en-IN',
  'fr',
  'fr-CA',
  'it',
  'ar',
  'ar-EG',
  'ar-MA',
  'id',
  'hi',
  'bn',
  'fa',
  'de',
  'es',
  'ja',
  'ko',
  'zh',
  'my',
  'he',
  'tr',
];
const minutesOfDay = Array.from({ length: 24 * 60 }, (_, m) =>
  new Date(2026, 10, 30, Math.floor(m / 60), m % 60).getTime(),
);

describe('a kit writes what Intl writes', () => {
  it.each(LOCALES)('%s: every count below 1,000 and every minute of the day', (locale) => {
    const kit = makeFormatKit(locale);
    expect(kit).not.toBeNull();
    if (!kit) return;
    const counts = new Intl.NumberFormat(locale, NUMBER_OPTIONS);
    const clocks = new Intl.DateTimeFormat(locale, CLOCK_OPTIONS);
    for (let n = 0; n < KIT_COUNT_LIMIT; n++) expect(kitCount(kit, n)).toBe(counts.format(n));
    for (const at of minutesOfDay) expect(kitClock(kit, at)).toBe(clocks.format(at));
  });

  it.each(LOCALES)('%s: counts of 1,000 and more, grouped', (locale) => {
    const kit = makeFormatKit(locale);
    expect(kit?.grouping).not.toBeNull();
    if (!kit) return;
    const counts = new Intl.NumberFormat(locale, NUMBER_OPTIONS);
    const some = [];
    for (let n = KIT_COUNT_LIMIT; n < 20_000; n++) some.push(n);
    for (let n = 20_000; n < KIT_GROUPED_LIMIT; n += 9_973) some.push(n);
    some.push(KIT_GROUPED_LIMIT - 1);
    for (const n of some)
      if (kitCount(kit, n) !== counts.format(n)) expect(kitCount(kit, n)).toBe(counts.format(n));
  });

  it('learns the digits and the clock of the locale', () => {
    expect(makeFormatKit('ar-EG')?.digits.join('')).toBe('٠١٢٣٤٥٦٧٨٩');
    expect(makeFormatKit('en-US')?.hourCycle).toBe('h12');
    expect(makeFormatKit('fr')?.hourCycle).toBe('h23');
    // V8's format() writes a plain space where formatToParts has a narrow no-break one.
    expect(kitClock(makeFormatKit('en-US') as FormatKit, new Date(2026, 0, 1, 14, 2).getTime())).toBe(
      new Intl.DateTimeFormat('en-US', CLOCK_OPTIONS).format(new Date(2026, 0, 1, 14, 2)),
    );
  });

  const NAMES = Object.values(SERVICE_NAMES);
  // Spanish joins with "e" before "Instagram" and "y" otherwise: a list that depends on the name.
  const CONTEXTUAL = ['es'];
  it.each(LOCALES)('%s: lists of the catalog’s names, each name in every place', (locale) => {
    const list = makeFormatKit(locale)?.list ?? null;
    if (CONTEXTUAL.includes(locale)) return expect(list).toBeNull();
    expect(list).not.toBeNull();
    if (!list) return;
    const lists = new Intl.ListFormat(locale, LIST_OPTIONS);
    for (let turn = 0; turn < NAMES.length; turn++) {
      const turned = [...NAMES.slice(turn), ...NAMES.slice(0, turn)].reverse();
      for (let n = 0; n <= NAMES.length; n++) {
        expect(kitList(list, turned.slice(0, n))).toBe(lists.format(turned.slice(0, n)));
      }
    }
  });

  it('makes none for what is not a locale', () => {
    expect(makeFormatKit('not a locale!')).toBeNull();
  });

  it.each([[-1], [KIT_GROUPED_LIMIT], [2.5], [Number.NaN]])('leaves %s to Intl: outside its domain', (n) => {
    expect(kitCount(makeFormatKit('en') as FormatKit, n)).toBeNull();
  });

  it('leaves every count from 1,000 to Intl without a grouping', () => {
    const kit = makeFormatKit('en') as FormatKit;
    expect(kitCount({ ...kit, grouping: null }, 1040)).toBeNull();
    expect(kitCount(kit, 1040)).toBe('1,040');
    expect(kitCount(makeFormatKit('hi') as FormatKit, 1234567)).toBe('12,34,567');
    expect(kitCount(makeFormatKit('es') as FormatKit, 1234)).toBe('1234');
  });
});

describe('formatNumber and formatClock with a kit in use', () => {
  it('build no Intl formatter, and write the same', () => {
    const kit = makeFormatKit('it-CH') as FormatKit;
    const at = new Date(2026, 10, 30, 9, 7).getTime();
    const expected = [
      new Intl.NumberFormat('it-CH', NUMBER_OPTIONS).format(149),
      new Intl.DateTimeFormat('it-CH', CLOCK_OPTIONS).format(at),
    ];
    useFormatKit(kit);
    const numberFormat = vi.spyOn(Intl, 'NumberFormat');
    const dateTimeFormat = vi.spyOn(Intl, 'DateTimeFormat');
    expect([formatNumber(149, 'it-CH'), formatClock(at, 'it-CH')]).toEqual(expected);
    expect(numberFormat).not.toHaveBeenCalled();
    expect(dateTimeFormat).not.toHaveBeenCalled();
  });

  it('formatList builds no Intl formatter for the catalog’s names, and leaves a user’s own app to Intl', () => {
    const kit = makeFormatKit('ar') as FormatKit;
    const names = ['WhatsApp', 'Telegram', 'Signal'];
    const expected = new Intl.ListFormat('ar', LIST_OPTIONS).format(names);
    useFormatKit(kit);
    const listFormat = vi.spyOn(Intl, 'ListFormat');
    expect(formatList(names, 'ar')).toBe(expected);
    expect(listFormat).not.toHaveBeenCalled();
    listFormat.mockRestore();
    expect(formatList(['WhatsApp', 'Ma banque'], 'ar')).toBe(
      new Intl.ListFormat('ar', LIST_OPTIONS).format(['WhatsApp', 'Ma banque']),
    );
  });

  it('leave a count outside the kit to Intl, and everything once the kit is dropped', () => {
    const kit = makeFormatKit('en') as FormatKit;
    useFormatKit({ ...kit, digits: [...'٠١٢٣٤٥٦٧٨٩'] }); // digits Intl would never write in English
    expect(formatNumber(149, 'en')).toBe('١٤٩');
    expect(formatNumber(KIT_GROUPED_LIMIT, 'en')).toBe('10,000,000');
    dropStandIns();
    expect(formatNumber(149, 'en')).toBe('149');
  });
});

describe('a kit from a seed, which anyone can type', () => {
  const good = makeFormatKit('en-US') as FormatKit;
  const clockWith = (...parts: unknown[]) => ({ ...good, clock: parts });
  it.each([
    ['not an object', 'kit'],
    ['null', null],
    ['nine digits', { ...good, digits: good.digits.slice(1) }],
    ['a digit that is markup', { ...good, digits: ['<', ...good.digits.slice(1)] }],
    ['two characters for a digit', { ...good, digits: ['00', ...good.digits.slice(1)] }],
    ['an hour cycle that does not exist', { ...good, hourCycle: 'h25' }],
    ['no minute', clockWith({ part: 'hour' })],
    ['two hours', clockWith({ part: 'hour' }, { part: 'hour' }, { part: 'minute' })],
    [
      'a literal with digits',
      clockWith({ part: 'hour' }, { part: 'literal', text: '99' }, { part: 'minute' }),
    ],
    [
      'a long literal',
      clockWith({ part: 'hour' }, { part: 'literal', text: 'x'.repeat(17) }, { part: 'minute' }),
    ],
    ['an unknown part', clockWith({ part: 'hour' }, { part: 'second' }, { part: 'minute' })],
    ['a day period with digits', { ...good, dayPeriods: ['AM', 'PM1'] }],
    ['a locale 40 characters long', { ...good, locale: 'x'.repeat(40) }],
  ])('rejects %s', (_, raw) => {
    expect(readFormatKit(raw)).toBeNull();
  });

  it.each([
    ['a separator with digits', { ...good.grouping, separator: '0' }],
    ['no separator', { ...good.grouping, separator: '' }],
    ['groups of 9', { ...good.grouping, primary: 9 }],
    ['groups of none', { ...good.grouping, secondary: 0 }],
    ['a grouping that is text', ','],
  ])('drops %s, and keeps the rest of the kit', (_, grouping) => {
    expect(readFormatKit({ ...good, grouping })).toEqual({ ...good, grouping: null });
  });

  it.each([
    ['a list text with digits', { pair: ['', ' and 1 ', ''], many: ['', ', ', ', ', ', and ', ''] }],
    ['a long list text', { pair: ['', 'x'.repeat(17), ''], many: ['', ', ', ', ', ', and ', ''] }],
    ['a list of four texts for more', { pair: ['', ' and ', ''], many: ['', ', ', ', and ', ''] }],
    ['a list that is text', ' and '],
  ])('drops %s, and keeps the rest of the kit', (_, list) => {
    expect(readFormatKit({ ...good, list })).toEqual({ ...good, list: null });
  });

  it('keeps one that validates as it was', () => {
    expect(readFormatKit(JSON.parse(JSON.stringify(good)))).toEqual(good);
  });
});
