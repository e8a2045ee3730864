// @vitest-environment happy-dom
// The seed's words and formats: a popup opened while the worker sleeps starts a fresh page process,
// where the first getMessage and the first Intl formatter cost about 20 ms together. The seed carries
// what the first paint says, learnt from the browser by the background, so that paint asks for none.
// The words must be the browser's exactly, cover every first paint, and serve that paint only.

import { cleanup, render } from '@testing-library/preact';
import { fakeBrowser } from '@webext-core/fake-browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import ar from '../../_locales/ar/messages.json';
import en from '../../_locales/en/messages.json';
import fr from '../../_locales/fr/messages.json';
import id from '../../_locales/id/messages.json';
import it_ from '../../_locales/it/messages.json';
import { firstPaintKeys, firstPaintKeysOf } from '../../src/core/first-paint-words';
import { formatNumber } from '../../src/core/format';
import { dropStandIns } from '../../src/core/intl-cache';
import type { MessageKey } from '../../src/core/messages';
import type { Snapshot } from '../../src/core/snapshot';
import { translatorFor } from '../../src/core/translate';
import { type Connectivity, DEGRADED_CAUSES, type ServiceState, type Status } from '../../src/core/types';
import {
  fillSlots,
  firstPaintWords,
  type SeedWords,
  seedWords,
  seedWordsOf,
} from '../../src/platform/seed-words';
import { readSeed } from '../../src/platform/view-store';
import { PopupApp } from '../../src/popup/app';
import { seedJsonOf } from '../seed-url';
import { failing, fireAlarm, loadBackground, toolbar, useBackgroundWorld } from './background-harness';
import { serviceState } from './helpers';
import { checkedSnapshot, EMPTY_SNAPSHOT, mockConnector } from './mock-connector';

vi.mock('webextension-polyfill', () => ({ default: fakeBrowser }));

useBackgroundWorld();
afterEach(() => {
  cleanup();
  dropStandIns();
  vi.useRealTimers();
});

const CATALOGS = { en, fr, it: it_, ar, id } as const;

/** The words the background learns in a browser whose UI speaks `locale`. */
function wordsIn(locale: keyof typeof CATALOGS): SeedWords {
  Object.assign(fakeBrowser.i18n, {
    getMessage: (key: string, subs?: string[]) =>
      key === '@@bidi_dir'
        ? locale === 'ar'
          ? 'rtl'
          : 'ltr'
        : translatorFor(CATALOGS[locale])(key as never, subs),
    getUILanguage: () => locale,
  });
  return seedWords();
}

describe('the seed carries the words of the first paint', () => {
  it("learnt from the browser by the background, in the toolbar's page", async () => {
    await loadBackground();
    await vi.waitFor(() => expect(seedJsonOf<{ words?: unknown }>(toolbar.popup)?.words).toBeDefined());
    const seed = readSeed(new URL(toolbar.popup, 'chrome-extension://x/').search, 'en');
    expect(seed?.words?.dir).toBe('ltr');
    expect(seed?.words?.kit?.locale).toBe('en');
    // Those of this first paint only: every app is up, so no other status's word.
    const { state, settings } = seed?.view ?? {};
    if (!state || !settings) throw new Error('no view in the seed');
    expect(Object.values(state.services).map((s) => s?.status)).toEqual(['up', 'up', 'up']);
    const keys = Object.keys(seed?.words?.messages ?? {});
    expect(keys.sort()).toEqual([...firstPaintKeysOf(state, settings, 'en')].sort());
    expect(keys).toContain('statusUp');
    expect(keys).not.toContain('statusDown');
    expect(keys.length).toBeLessThan(firstPaintKeys('en').length / 2);
  });

  it('follows the view: a check that finds an app down brings the words it needs', async () => {
    await loadBackground();
    await vi.waitFor(() => expect(seedJsonOf<{ words?: unknown }>(toolbar.popup)?.words).toBeDefined());
    failing.add('web.whatsapp.com');
    await fireAlarm();
    const words = () => readSeed(new URL(toolbar.popup, 'chrome-extension://x/').search, 'en')?.words;
    await vi.waitFor(() => expect(words()?.messages.statusDown).toBe(en.statusDown.message));
    const headline = fillSlots(words()?.messages.headlineDown ?? '', ['WhatsApp', '14:02']);
    expect(headline).toBe('WhatsApp is down · since 14:02');
  });

  it('ignores them in a page whose locale is not theirs', async () => {
    await loadBackground();
    await vi.waitFor(() => expect(seedJsonOf<{ words?: unknown }>(toolbar.popup)?.words).toBeDefined());
    const search = new URL(toolbar.popup, 'chrome-extension://x/').search;
    expect(readSeed(search, 'fr')?.words).toBeNull();
    expect(readSeed(search, 'fr')?.view).not.toBeNull();
  });

  describe.each(Object.keys(CATALOGS) as (keyof typeof CATALOGS)[])('in %s', (locale) => {
    beforeEach(() => {
      dropStandIns();
    });
    it('has every word, and a filled template writes what getMessage writes', () => {
      const words = wordsIn(locale);
      const getMessage = translatorFor(CATALOGS[locale]);
      for (const key of firstPaintKeys(locale)) {
        const template = words.messages[key];
        expect(template, `${locale} ${key}`).toBeTruthy();
        const subs = ['WhatsApp', '14:02', 7];
        expect(fillSlots(template ?? '', subs)).toBe(getMessage(key as MessageKey, subs));
      }
      expect(words.dir).toBe(locale === 'ar' ? 'rtl' : 'ltr');
    });
  });
});

describe('the first paint asks the browser for no word and builds no Intl formatter', () => {
  const statuses: Status[] = ['up', 'down', 'degraded', 'unknown'];
  const causes: ServiceState['cause'][] = [null, ...DEGRADED_CAUSES];
  const tags: Partial<ServiceState>[] = [
    {},
    { unstable: true },
    { confidence: 'low' },
    { maintenance: true },
    { latencyMs: null },
  ];
  const connectivities: Connectivity[] = ['online', 'offline', 'captive'];
  const cases: [string, Snapshot][] = [['not checked yet', EMPTY_SNAPSHOT]];
  for (const status of statuses)
    for (const cause of causes)
      for (const other of statuses)
        for (const connectivity of connectivities)
          for (const [i, tag] of tags.entries()) {
            const snapshot = checkedSnapshot(
              {
                whatsapp: serviceState({ status, cause, ...tag }),
                telegram: serviceState({ status: other }),
                signal: serviceState({ status: 'up' }),
              },
              { connectivity },
            );
            const odd = i % 2 === 1; // stale, checking and a mute, on half the cases each
            cases.push([
              `${status} (${cause}), telegram ${other}, ${connectivity}, tag ${i}`,
              { ...snapshot, stale: odd, checking: !odd, muted: odd ? ['telegram'] : [] },
            ]);
          }
  // Two others down: the headline lists them ("Telegram and Signal"), with the kit's list.
  const othersDown = checkedSnapshot({
    whatsapp: serviceState(),
    telegram: serviceState({ status: 'down' }),
    signal: serviceState({ status: 'down' }),
  });
  cases.push(['telegram and signal down', othersDown]);
  // A slow answer: a count past 999, grouped by the kit ("4,321 ms").
  cases.push(['slow', checkedSnapshot({ whatsapp: serviceState({ latencyMs: 4321 }) })]);
  for (const agoMs of [1_000, 20_000, 5 * 60_000, 3 * 3_600_000]) {
    const snapshot = checkedSnapshot({ whatsapp: serviceState() });
    const checkedAt = EMPTY_SNAPSHOT.now - agoMs;
    cases.push([`checked ${agoMs} ms ago`, { ...snapshot, state: { ...snapshot.state, checkedAt } }]);
  }

  it(`in ${cases.length} first paints of every status, cause, connectivity and tag`, () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(EMPTY_SNAPSHOT.now);
    const asked: string[] = [];
    // Each with the words and kit the background picks for its state (seedWordsOf), learnt before
    // the spies: the background builds its formatters; the first paint must not.
    wordsIn('en');
    const seeded = cases.map(([name, seed]) => [name, seed, seedWordsOf(seed.state, seed.settings)] as const);
    // Formatters are cached for the page's life (one may be left from an earlier test): no real
    // count, time or list is written, whoever built the formatter.
    // (`format` of NumberFormat and DateTimeFormat is a getter, which TypeScript types as a method.)
    const formatGetter = (proto: object) => vi.spyOn(proto as { format: unknown }, 'format', 'get');
    const numberFormat = formatGetter(Intl.NumberFormat.prototype);
    const dateTimeFormat = formatGetter(Intl.DateTimeFormat.prototype);
    const listFormat = vi.spyOn(Intl.ListFormat.prototype, 'format');
    for (const [name, seed, words] of seeded) {
      const { t } = firstPaintWords(words, (key) => {
        asked.push(`${name}: ${key}`);
        return '';
      });
      const connector = { ...mockConnector(seed), t, seed, getState: () => new Promise<Snapshot>(() => {}) };
      render(<PopupApp connector={connector} extras={() => new Promise(() => {})} />);
      cleanup();
    }
    expect(asked).toEqual([]);
    expect(numberFormat).not.toHaveBeenCalled();
    expect(dateTimeFormat).not.toHaveBeenCalled();
    expect(listFormat).not.toHaveBeenCalled();
  });
});

describe('the words serve the first paint only', () => {
  it('a forged word is said until storage answers, then the browser speaks', () => {
    const forged: SeedWords = { locale: 'en', dir: 'ltr', messages: { statusUp: 'FORGED' }, kit: null };
    const browserWords = translatorFor(en);
    const words = firstPaintWords(forged, browserWords);
    expect(words.t('statusUp')).toBe('FORGED');
    expect(words.t('statusDown')).toBe(browserWords('statusDown'));
    words.drop();
    expect(words.t('statusUp')).toBe(browserWords('statusUp'));
  });

  it('a forged kit writes until storage answers, then Intl does', () => {
    const learnt = wordsIn('en');
    if (!learnt.kit) throw new Error('no kit for en');
    const words = firstPaintWords(
      { ...learnt, kit: { ...learnt.kit, digits: [...'٠١٢٣٤٥٦٧٨٩'] } },
      translatorFor(en),
    );
    expect(formatNumber(149, 'en')).toBe('١٤٩');
    words.drop();
    expect(formatNumber(149, 'en')).toBe('149');
  });
});
