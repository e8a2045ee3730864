import { afterEach, describe, expect, it, vi } from 'vitest';
import ar from '../../_locales/ar/messages.json';
import en from '../../_locales/en/messages.json';
import fr from '../../_locales/fr/messages.json';
import id from '../../_locales/id/messages.json';
import it_ from '../../_locales/it/messages.json';
import {
  formatNumber,
  messageLanguage,
  type PluralCategory,
  plural,
  type Translate,
} from '../../src/core/format';
import { countryName, formatDuration } from '../../src/core/format-more';
import { type MessageCatalog, translatorFor } from '../../src/core/translate';

const CATALOGS: Record<string, MessageCatalog> = { en, it: it_, fr, ar, id };
/** A translator that answers the key it was asked for and its substitutions. */
const echo: Translate = (key, subs = []) => [key, ...subs].join('|');
const MIN = 60_000;

afterEach(() => vi.restoreAllMocks());

describe('plural', () => {
  const COUNTS = [0, 1, 2, 3, 11, 100, 1_000_000];
  // What each language's CLDR rules call these counts: the form the catalog must have.
  it.each<[string, PluralCategory[]]>([
    ['en', ['other', 'one', 'other', 'other', 'other', 'other', 'other']],
    ['it', ['other', 'one', 'other', 'other', 'other', 'other', 'many']],
    ['fr', ['one', 'one', 'other', 'other', 'other', 'other', 'many']],
    ['ar', ['zero', 'one', 'two', 'few', 'many', 'other', 'other']],
    ['id', ['other', 'other', 'other', 'other', 'other', 'other', 'other']],
  ])('picks the %s form for 0, 1, 2, 3, 11, 100 and 1,000,000', (lang, categories) => {
    expect(COUNTS.map((n) => plural(echo, lang, 'importDone', n).split('|')[0])).toEqual(
      categories.map((c) => `importDone_${c}`),
    );
  });

  it.each(Object.keys(CATALOGS))('formats the count for the %s locale and fills a real message', (lang) => {
    const t = translatorFor(CATALOGS[lang] as MessageCatalog);
    for (const n of COUNTS) {
      const text = plural(t, lang, 'reason_crowdOutage', n, [formatNumber(36, lang)]);
      expect(text).not.toBe('');
      expect(text).not.toMatch(/\$/);
      // Arabic spells 1 and 2 out ("بلاغ واحد", "بلاغان"); every other form shows the number.
      if (!(lang === 'ar' && (n === 1 || n === 2))) expect(text).toContain(formatNumber(n, lang));
    }
  });

  it.each<[string, number, string]>([
    ['en', 1, '1 contact imported.'],
    ['en', 1_000_000, `${new Intl.NumberFormat('en').format(1_000_000)} contacts imported.`],
    ['it', 1, '1 contatto importato.'],
    ['it', 3, '3 contatti importati.'],
    ['it', 1_000_000, `${new Intl.NumberFormat('it').format(1_000_000)} di contatti importati.`],
    ['fr', 0, '0 contact importé.'],
    ['fr', 2, '2 contacts importés.'],
    ['fr', 1_000_000, `${new Intl.NumberFormat('fr').format(1_000_000)} de contacts importés.`],
    ['ar', 1, 'تم استيراد جهة اتصال واحدة.'],
    ['ar', 2, 'تم استيراد جهتي اتصال.'],
    ['ar', 3, `تم استيراد ${new Intl.NumberFormat('ar').format(3)} جهات اتصال.`],
    ['ar', 11, `تم استيراد ${new Intl.NumberFormat('ar').format(11)} جهة اتصال.`],
    ['id', 1, '1 kontak diimpor.'],
  ])('says %s %i in its grammar', (lang, n, text) => {
    expect(plural(translatorFor(CATALOGS[lang] as MessageCatalog), lang, 'importDone', n)).toBe(text);
  });

  it.each<[string, string]>([
    ['fr-CA', 'importDone_many'],
    ['it-IT', 'importDone_many'],
    // Portuguese and Russian are not shipped: the messages are English, so are the rules.
    ['pt-BR', 'importDone_other'],
    ['ru', 'importDone_other'],
  ])('uses the rules of the language the messages come from (%s)', (locale, key) => {
    expect(plural(echo, locale, 'importDone', 1_000_000).split('|')[0]).toBe(key);
  });

  it('falls back to the "other" form when the browser knows a category the catalog lacks', () => {
    vi.spyOn(Intl.PluralRules.prototype, 'select').mockReturnValue('few');
    expect(plural(echo, 'en', 'importDone', 3)).toBe('importDone_other|3');
  });

  it('passes the other substitutions after the count', () => {
    expect(plural(echo, 'en', 'reason_attemptsFailed', 5, ['4', 'connection failed'])).toBe(
      'reason_attemptsFailed_other|5|4|connection failed',
    );
  });
});

describe('messageLanguage', () => {
  it.each([
    ['en-US', 'en'],
    ['en_GB', 'en'],
    ['fr-CA', 'fr'],
    ['AR', 'ar'],
    ['id', 'id'],
    ['it-CH', 'it'],
    ['pt-BR', 'en'],
    ['', 'en'],
  ])('%s → %s', (locale, lang) => {
    expect(messageLanguage(locale)).toBe(lang);
  });
});

describe('formatDuration', () => {
  it.each<[string, number, string]>([
    ['en', 0, 'under a minute'],
    ['en', 1 * MIN, '1 min'],
    ['en', 123 * MIN, '2 h 3 min'],
    ['en', (24 + 4) * 60 * MIN, '1 d 4 h'],
    ['ar', 1 * MIN, 'دقيقة واحدة'],
    ['ar', 2 * MIN, 'دقيقتين'],
    ['ar', 5 * MIN, `${new Intl.NumberFormat('ar').format(5)} دقائق`],
    ['ar', 122 * MIN, 'ساعتين ودقيقتين'],
    ['ar', (48 + 11) * 60 * MIN, `يومين و${new Intl.NumberFormat('ar').format(11)} ساعة`],
    ['it', (24 + 1) * 60 * MIN, '1 g 1 h'],
  ])('%s: %i ms → %s', (lang, ms, text) => {
    expect(formatDuration(ms, translatorFor(CATALOGS[lang] as MessageCatalog), lang)).toBe(text);
  });
});

describe('countryName', () => {
  it.each([
    ['GB', 'en', new Intl.DisplayNames('en', { type: 'region' }).of('GB')],
    ['GB', 'it', new Intl.DisplayNames('it', { type: 'region' }).of('GB')],
    ['IT', 'ar', new Intl.DisplayNames('ar', { type: 'region' }).of('IT')],
    // From the network: shown as it came, as text, never a crash.
    ['<b>', 'en', '<b>'],
    ['gb', 'en', 'gb'],
    ['', 'en', ''],
  ])('%s in %s', (code, locale, name) => {
    expect(countryName(code, locale)).toBe(name);
  });

  it('names countries, not codes', () => {
    expect(countryName('GB', 'en')).toBe('United Kingdom');
    expect(countryName('IT', 'fr')).toBe('Italie');
  });
});
