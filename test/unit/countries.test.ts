// The ISO 3166-1 alpha-2 list the feed reader and the report's country are checked against.
import { describe, expect, it } from 'vitest';
import { COUNTRY_CODES, isCountryCode } from '../../src/core/countries';

describe('country codes', () => {
  it('lists the 249 assigned ISO 3166-1 alpha-2 codes, once each, in order', () => {
    expect(COUNTRY_CODES).toHaveLength(249);
    expect(new Set(COUNTRY_CODES).size).toBe(249);
    expect([...COUNTRY_CODES].sort()).toEqual(COUNTRY_CODES);
    for (const code of COUNTRY_CODES) expect(code).toMatch(/^[A-Z]{2}$/);
  });

  it.each(['GB', 'IT', 'FR', 'ID', 'IN', 'AE', 'SA', 'EG', 'US', 'BR', 'MK', 'SZ', 'SS', 'BQ', 'AX'])(
    'knows %s',
    (code) => expect(isCountryCode(code)).toBe(true),
  );

  it.each<[string, unknown]>([
    ['UK (reserved, the UK is GB)', 'UK'],
    ['EU (reserved)', 'EU'],
    ['XX (user-assigned)', 'XX'],
    ['ZZ (user-assigned)', 'ZZ'],
    ['XK (Kosovo, user-assigned)', 'XK'],
    ['AN (withdrawn)', 'AN'],
    ['lower case', 'it'],
    ['three letters', 'ITA'],
    ['a code with markup', 'IT<script>'],
    ['an empty string', ''],
    ['a number', 44],
    ['null', null],
  ])('refuses %s', (_name, value) => expect(isCountryCode(value)).toBe(false));
});
