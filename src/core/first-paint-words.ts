// The words of the popup's first paint, which its seed carries (platform/seed-words.ts) so that paint
// asks the browser for none: the first i18n.getMessage of a fresh page process fetches the whole
// catalogue, 5 to 8 ms. A word missing here is still right, only slower: it is asked of the browser.
// The popup-seed test renders the first paint of every status, connectivity and tag and fails on any
// word left out (a feed's words are not needed: with a feed set, the popup is not seeded).

import { MESSAGE_PLURALS, messageLanguage, type PluralBase } from './format';
import type { MessageKey } from './messages';

const WORDS = [
  'agoJustNow',
  'checkNow',
  'checking',
  'confidenceLow',
  'headlineCaptive',
  'headlineChecking',
  'headlineDegraded',
  'headlineDown',
  'headlineLocal',
  'headlineOffline',
  'headlineOthersDown',
  'headlineStale',
  'headlineUnknown',
  'headlineUp',
  'headlineUpUnstable',
  'hintCaptive',
  'hintItsThem',
  'hintOffline',
  'lastChecked',
  'latencyMs',
  'maintenanceBadge',
  'openSettings',
  'rowSince',
  'staleMark',
  'statusDegraded',
  'statusDown',
  'statusLocal',
  'statusPossibleOutage',
  'statusUnknown',
  'statusUp',
  'tagUnstable',
] as const satisfies readonly MessageKey[];

const PLURALS = ['agoSeconds', 'agoMinutes', 'agoHours'] as const satisfies readonly PluralBase[];

/** Every key the first paint may ask for in this UI locale: its words, and each plural form it has. */
export function firstPaintKeys(locale: string): readonly string[] {
  const forms = MESSAGE_PLURALS[messageLanguage(locale)];
  return [...WORDS, ...PLURALS.flatMap((base) => forms.map((form) => `${base}_${form}`))];
}
