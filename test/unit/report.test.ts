// The report's country, from the browser's languages: only assigned ISO 3166-1 alpha-2 codes.
import { describe, expect, it } from 'vitest';
import { countryFromLocales } from '../../src/core/report';

describe("a report's country", () => {
  it.each<[string, readonly string[], string | null]>([
    ['the region of the first language', ['it-IT', 'en-GB'], 'IT'],
    ['the first language that names a region', ['en', 'fr-FR'], 'FR'],
    ['a script and a region', ['zh-Hant-TW'], 'TW'],
    ['no region at all', ['en', 'ar'], null],
    ['a continent (es-419) is no country', ['es-419', 'es-MX'], 'MX'],
    ['UK is not the code of the United Kingdom', ['en-UK', 'en-GB'], 'GB'],
    ['a pseudo-locale', ['en-XA'], null],
    ['a tag that is not a language tag', ['not a tag!', 'id-ID'], 'ID'],
    ['no languages', [], null],
  ])('%s', (_name, locales, country) => expect(countryFromLocales(locales)).toBe(country));
});
