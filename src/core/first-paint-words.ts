// The words of the popup's first paint, which its seed carries (platform/seed-words.ts) so that paint
// asks the browser for none: the first i18n.getMessage of a fresh page process fetches the whole
// catalogue, 5 to 8 ms. A word missing here is still right, only slower: it is asked of the browser.
// The popup-seed test renders the first paint of every status, connectivity and tag and fails on any
// word left out (a feed's words are not needed: with a feed set, the popup is not seeded).

import { MESSAGE_PLURALS, messageLanguage, type PluralBase, type Translate } from './format';
import { type FormatKit, KIT_COUNT_LIMIT } from './format-kit';
import { headline } from './headline';
import type { MessageKey } from './messages';
import type { Settings } from './settings';
import { statusWord } from './status-word';
import type { MonitorState } from './types';

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
  return [...WORDS, ...pluralKeys(locale)];
}

/** The footer's words, in every first paint: the time since the check may have any length by then. */
const FOOTER = ['agoJustNow', 'checkNow', 'checking', 'lastChecked', 'openSettings', 'staleMark'] as const;

/**
 * The keys the first paint of this state asks for: its headline as it reads now and once stale, a
 * word and the tags of each row, the hints, and the footer. The seed carries only these: for apps
 * that are all up, half the words, and 0.5 KB less of the toolbar page's URL (about 1 ms of a tab's
 * first frame, docs/benchmarks.md). The popup-seed-words test renders first paints of every status,
 * tag and connectivity with only these words, and fails on any word asked of the browser.
 */
export function firstPaintKeysOf(state: MonitorState, settings: Settings, locale: string): readonly string[] {
  const keys = new Set<string>([...FOOTER, ...pluralKeys(locale)]);
  const record: Translate = (key) => {
    keys.add(key);
    return '';
  };
  const { primary, watched, customApps } = settings;
  for (const stale of [false, true]) headline(state, primary, watched, stale, record, locale, customApps);
  if (state.connectivity === 'offline') keys.add('hintOffline');
  if (state.connectivity === 'captive') keys.add('hintCaptive');
  if (state.services[primary]?.status === 'down') keys.add('hintItsThem');
  for (const id of watched) {
    const service = state.services[id];
    keys.add(statusWord(service));
    if (!service) continue;
    keys.add('rowSince');
    if (service.latencyMs !== null) keys.add('latencyMs');
    if (service.maintenance) keys.add('maintenanceBadge');
    if (service.unstable) keys.add('tagUnstable');
    if (service.confidence === 'low') keys.add('confidenceLow');
  }
  return [...keys];
}

/**
 * The parts of a format kit the first paint with these keys (firstPaintKeysOf) uses: its list when
 * the headline names other apps that are down, its grouping when a row shows a count of 1,000 or
 * more. Without them the seed is 90 characters shorter; a paint that needs one anyway builds the Intl
 * formatter.
 */
export function firstPaintKit(
  kit: FormatKit,
  keys: readonly string[],
  state: MonitorState,
  settings: Settings,
): FormatKit {
  const bigCount = settings.watched.some((id) => (state.services[id]?.latencyMs ?? 0) >= KIT_COUNT_LIMIT);
  return {
    ...kit,
    list: keys.includes('headlineOthersDown') ? kit.list : null,
    grouping: bigCount ? kit.grouping : null,
  };
}

function pluralKeys(locale: string): string[] {
  const forms = MESSAGE_PLURALS[messageLanguage(locale)];
  return PLURALS.flatMap((base) => forms.map((form) => `${base}_${form}`));
}
