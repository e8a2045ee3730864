import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MessageCatalog } from '../../src/core/translate';
import { translatorFor } from '../../src/core/translate';

const root = join(import.meta.dirname, '../../_locales');
const load = (lang: string): MessageCatalog =>
  JSON.parse(readFileSync(join(root, lang, 'messages.json'), 'utf8'));
const en = load('en');
const locales = readdirSync(root).filter((l) => l !== 'en');
const namesIn = (message: string) =>
  [...message.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((m) => m[1]?.toLowerCase()).sort();

describe('locales', () => {
  it('ships the languages of the people who wrote about these outages', () => {
    expect(locales.sort()).toEqual(['ar', 'fr', 'id', 'it']);
  });

  describe.each(locales)('%s', (lang) => {
    const catalog = load(lang);
    it('has exactly the English keys', () => {
      expect(Object.keys(catalog).sort()).toEqual(Object.keys(en).sort());
    });
    it.each(Object.keys(en))('%s keeps every placeholder', (key) => {
      const ours = catalog[key];
      const theirs = en[key];
      expect(ours?.message.trim()).not.toBe('');
      expect(namesIn(ours?.message ?? '')).toEqual(namesIn(theirs?.message ?? ''));
      expect(ours?.placeholders ?? {}).toEqual(
        Object.fromEntries(
          Object.entries(theirs?.placeholders ?? {}).map(([name, p]) => [
            name,
            expect.objectContaining({ content: p.content }),
          ]),
        ),
      );
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
