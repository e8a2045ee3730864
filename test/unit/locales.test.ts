import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MESSAGE_PLURALS, type PluralCategory } from '../../src/core/format';
import type { MessageCatalog } from '../../src/core/translate';
import { translatorFor } from '../../src/core/translate';

const root = join(import.meta.dirname, '../../_locales');
const load = (lang: string): MessageCatalog =>
  JSON.parse(readFileSync(join(root, lang, 'messages.json'), 'utf8'));
const en = load('en');
const languages = readdirSync(root).sort();
const locales = languages.filter((l) => l !== 'en');
const namesIn = (message: string) =>
  [...message.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((m) => m[1]?.toLowerCase() ?? '').sort();

const CATEGORIES: readonly PluralCategory[] = ['zero', 'one', 'two', 'few', 'many', 'other'];
// A plural base is every English key with both `_one` and `_other` (English has exactly those two).
const pluralBases = Object.keys(en)
  .filter((k) => k.endsWith('_other') && Object.hasOwn(en, `${k.slice(0, -'_other'.length)}_one`))
  .map((k) => k.slice(0, -'_other'.length));
const pluralKeyOf = (key: string) =>
  pluralBases.find((base) => CATEGORIES.some((c) => key === `${base}_${c}`)) ?? null;
const plainKeys = (catalog: MessageCatalog) => Object.keys(catalog).filter((k) => pluralKeyOf(k) === null);
const categoriesOf = (lang: string) =>
  [...new Intl.PluralRules(lang).resolvedOptions().pluralCategories].sort() as PluralCategory[];

/**
 * The numbers (0…1000) a category of a language stands for. A form whose category stands for one
 * number only may spell it out instead of writing it (Arabic "دقيقة واحدة", "دقيقتين").
 */
const numbersOf = (lang: string, category: PluralCategory) => {
  const rules = new Intl.PluralRules(lang);
  return Array.from({ length: 1001 }, (_, n) => n).filter((n) => rules.select(n) === category);
};

/** Placeholder names and contents: what a translation must keep from the English message. */
function placeholders(entry: MessageCatalog[string] | undefined) {
  return Object.fromEntries(Object.entries(entry?.placeholders ?? {}).map(([name, p]) => [name, p.content]));
}

describe('locales', () => {
  it('ships the languages of the people who wrote about these outages', () => {
    expect(locales).toEqual(['ar', 'fr', 'id', 'it']);
  });

  it('knows the plural categories of every language it ships, as Intl.PluralRules gives them', () => {
    expect(Object.keys(MESSAGE_PLURALS).sort()).toEqual(languages);
    for (const lang of languages) {
      expect([...MESSAGE_PLURALS[lang as keyof typeof MESSAGE_PLURALS]].sort(), lang).toEqual(
        categoriesOf(lang),
      );
    }
  });

  it('has counted phrases as plural forms (no "1 reports")', () => {
    expect(pluralBases).toEqual(
      expect.arrayContaining([
        'durationMinutes',
        'durationHours',
        'durationDays',
        'reason_attemptsFailed',
        'reason_crowdOutage',
        'countChecks',
        'agoSeconds',
        'contactsDropped',
        'importDone',
        'intervalSeconds',
        'reportRateLimited',
      ]),
    );
  });

  describe.each(languages)('%s', (lang) => {
    const catalog = load(lang);

    if (lang !== 'en') {
      it('has exactly the English keys, apart from plural forms', () => {
        expect(plainKeys(catalog).sort()).toEqual(plainKeys(en).sort());
      });
      it.each(plainKeys(en))('%s keeps every placeholder', (key) => {
        const ours = catalog[key];
        const theirs = en[key];
        expect(ours?.message.trim()).not.toBe('');
        expect(namesIn(ours?.message ?? '')).toEqual(namesIn(theirs?.message ?? ''));
        expect(placeholders(ours)).toEqual(placeholders(theirs));
      });
    }

    it.each(pluralBases)('%s has exactly the plural forms of the language', (base) => {
      const forms = CATEGORIES.filter((c) => Object.hasOwn(catalog, `${base}_${c}`));
      expect(forms.sort()).toEqual(categoriesOf(lang));
    });

    it.each(pluralBases)('%s keeps every placeholder in every plural form', (base) => {
      const theirs = en[`${base}_other`];
      const count = Object.entries(theirs?.placeholders ?? {}).find(([, p]) => p.content === '$1')?.[0];
      for (const category of categoriesOf(lang)) {
        const ours = catalog[`${base}_${category}`];
        expect(ours?.message.trim(), `${base}_${category}`).not.toBe('');
        expect(placeholders(ours), `${base}_${category}`).toEqual(placeholders(theirs));
        const expected = namesIn(theirs?.message ?? '');
        const names = namesIn(ours?.message ?? '');
        // Only a form for one number may leave that number out, spelled out in words.
        const spelled = numbersOf(lang, category).length === 1 ? expected.filter((n) => n !== count) : null;
        expect([expected, spelled], `${base}_${category}: ${ours?.message}`).toContainEqual(names);
      }
    });

    it('keeps the store description within 132 characters', () => {
      expect(catalog.extDescription?.message.length).toBeLessThanOrEqual(132);
    });
  });
});

describe('translatorFor (getMessage outside the browser)', () => {
  const t = translatorFor({
    hello: { message: 'Hi $NAME$, $$5 for $1', placeholders: { name: { content: '$2' } } },
  });
  it('expands named placeholders, positional substitutions and $$', () => {
    expect(t('hello' as never, ['tea', 'Maria'])).toBe('Hi Maria, $5 for tea');
  });
  it('answers an empty string for an unknown key, like the browser', () => {
    expect(t('nope' as never)).toBe('');
  });
});
