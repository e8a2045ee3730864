// @vitest-environment happy-dom
// The popup when many people report problems with WhatsApp while it answers from here (issue 11):
// a possible outage, said plainly with the numbers, in every language.
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import ar from '../../_locales/ar/messages.json';
import en from '../../_locales/en/messages.json';
import fr from '../../_locales/fr/messages.json';
import id from '../../_locales/id/messages.json';
import it_ from '../../_locales/it/messages.json';
import { headline } from '../../src/core/headline';
import type { HistoryBucket } from '../../src/core/history';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import type { Snapshot } from '../../src/core/snapshot';
import { type MessageCatalog, translatorFor } from '../../src/core/translate';
import type { MonitorState, ServiceState } from '../../src/core/types';
import { PopupApp } from '../../src/popup/app';
import { CrowdPanel } from '../../src/popup/crowd-panel';
import { popupExtras } from '../../src/popup/extras';
import { HistoryStrip } from '../../src/popup/history-strip';
import type { ServiceFeed } from '../../src/shared/feed';
import { MIN, serviceState, t } from './helpers';
import { checkedSnapshot, EMPTY_SNAPSHOT, mockConnector } from './mock-connector';

const NOW = EMPTY_SNAPSHOT.now;

// The popup's clock is the page's own: the snapshots here were read at NOW, so the page's clock says
// NOW too (only Date is faked: the popup's timers and the testing library's waits stay real).
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});
const CATALOGS: Record<string, MessageCatalog> = { en, it: it_, fr, ar, id };
const n = (value: number, locale: string) => new Intl.NumberFormat(locale).format(value);

/** WhatsApp answers every check; the feed counts 1,040 reports in 15 minutes, usually 36. */
const crowdDegraded = serviceState({
  status: 'degraded',
  probeStatus: 'up',
  cause: 'crowd',
  confidence: 'low',
  since: NOW - 18 * MIN,
  checkedAt: NOW - 20_000,
  reasons: [
    { code: 'attemptsOk', args: [1, 1] },
    { code: 'crowdOutage', args: [1040, 36] },
    { code: 'disagree', args: ['probes'] },
    { code: 'controlsOk' },
  ],
});

const whatsappFeed: ServiceFeed = {
  level: 'outage',
  recent: 1040,
  baseline: 36.2,
  series: [],
  problems: { messages: 700, connection: 340 },
  countries: { GB: 600, IT: 300, FR: 140 },
};

/** 24 h of checks that all answered, though the verdict was degraded by the crowd for the last hour. */
const answeredAllDay: HistoryBucket[] = Array.from({ length: 24 }, (_, i) => ({
  t: NOW - (24 - i) * 60 * MIN + MIN,
  s: 'up',
  l: 120,
  n: 12,
  ln: 12,
}));

function snapshot(services: Partial<Record<string, ServiceState>>): Snapshot {
  return {
    ...checkedSnapshot(services),
    history: { whatsapp: answeredAllDay },
    crowd: {
      feed: {
        version: 1,
        generatedAt: new Date(NOW).toISOString(),
        bucketMinutes: 15,
        services: { whatsapp: whatsappFeed },
      },
      problem: null,
      fetchedAt: NOW,
    },
    settings: { ...DEFAULT_SETTINGS, shareCountry: false },
    now: NOW,
  };
}

async function renderPopup(lang: string, services: Partial<Record<string, ServiceState>>) {
  const connector = {
    ...mockConnector(snapshot(services)),
    t: translatorFor(CATALOGS[lang] as MessageCatalog),
    locale: lang,
    dir: lang === 'ar' ? ('rtl' as const) : ('ltr' as const),
  };
  const view = render(<PopupApp connector={connector} extras={popupExtras} />);
  await screen.findByRole('heading', { level: 1 });
  await waitFor(() => expect(view.container.querySelector('[data-service][data-status]')).not.toBeNull());
  return view.container.querySelector('main') as HTMLElement;
}

describe('possible outage: the headline says what the crowd says, with the numbers', () => {
  it.each<[string, (lang: string) => string]>([
    [
      'en',
      (l) =>
        `Many people report problems with WhatsApp: ${n(1040, l)} in the last 15 min (usually ${n(36, l)}). It still answers from here.`,
    ],
    [
      'it',
      (l) =>
        `Molte persone segnalano problemi con WhatsApp: ${n(1040, l)} negli ultimi 15 min (di solito ${n(36, l)}). Da qui risponde ancora.`,
    ],
    [
      'fr',
      (l) =>
        `Beaucoup de personnes signalent des problèmes avec WhatsApp : ${n(1040, l)} au cours des 15 dernières minutes (normalement ${n(36, l)}). Depuis ici, le service répond encore.`,
    ],
    [
      'ar',
      (l) =>
        `كثيرون يبلّغون عن مشكلات في WhatsApp: ${n(1040, l)} خلال آخر 15 دقيقة (المعتاد ${n(36, l)}). لا تزال تستجيب من هنا.`,
    ],
    [
      'id',
      (l) =>
        `Banyak orang melaporkan masalah dengan WhatsApp: ${n(1040, l)} dalam 15 menit terakhir (biasanya ${n(36, l)}). Dari sini layanan masih merespons.`,
    ],
  ])('in %s, with the numbers formatted for the locale', async (lang, expected) => {
    const state: MonitorState = {
      connectivity: 'online',
      connectivityReasons: [{ code: 'controlsOk' }],
      checkedAt: NOW - 20_000,
      services: { whatsapp: crowdDegraded },
    };
    const t = translatorFor(CATALOGS[lang] as MessageCatalog);
    expect(headline(state, 'whatsapp', ['whatsapp'], false, t, lang, [])).toEqual({
      text: expected(lang),
      tone: 'warn',
    });
    const root = await renderPopup(lang, { whatsapp: crowdDegraded });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(expected(lang));
    expect(root.querySelector('[data-service="whatsapp"]')?.getAttribute('data-status')).toBe('degraded');
  });

  it('keeps "unstable · since" for a primary that is slow', () => {
    for (const cause of ['slow', null] as const) {
      const state: MonitorState = {
        connectivity: 'online',
        connectivityReasons: [],
        checkedAt: NOW - 20_000,
        services: { whatsapp: { ...crowdDegraded, cause } },
      };
      expect(headline(state, 'whatsapp', ['whatsapp'], false, t, 'en', []).text).toMatch(
        /^WhatsApp is unstable · since /,
      );
    }
  });
});

describe('possible outage: the row', () => {
  it.each<[string, string]>([
    ['en', 'possible outage'],
    ['it', 'possibile disservizio'],
    ['fr', 'panne possible'],
    ['ar', 'عطل محتمل'],
    ['id', 'kemungkinan gangguan'],
  ])('in %s says "%s" when the crowd is the cause, and "unstable" when slow', async (lang, word) => {
    const root = await renderPopup(lang, {
      whatsapp: crowdDegraded,
      telegram: { ...crowdDegraded, probeStatus: 'degraded', cause: 'slow', reasons: [] },
      signal: { ...crowdDegraded, probeStatus: 'degraded', cause: null, reasons: [] },
    });
    const unstable = (CATALOGS[lang] as MessageCatalog).statusDegraded?.message;
    const words = ['whatsapp', 'telegram', 'signal'].map((id) =>
      root.querySelector(`[data-service="${id}"] .status`)?.textContent?.replace(/^! /, ''),
    );
    expect(words).toEqual([word, unstable, unstable]);
    for (const id of ['whatsapp', 'telegram', 'signal']) {
      expect(root.querySelector(`[data-service="${id}"]`)?.getAttribute('data-status')).toBe('degraded');
    }
  });

  it('shows the report count without unfolding anything, the details folded', async () => {
    const root = await renderPopup('en', { whatsapp: crowdDegraded });
    const row = root.querySelector('[data-service="whatsapp"]') as HTMLElement;
    const summary = row.querySelector('.crowd-summary') as HTMLElement;
    expect(summary.textContent).toBe('Reports in the last 15 min: 1,040 (usually 36)');
    expect(summary.closest('details')).toBeNull();
    expect((row.querySelector('details.crowd') as HTMLDetailsElement).open).toBe(false);
  });

  it('counts every check that answered as up in the 24 h strip, though the crowd degraded the verdict', async () => {
    const root = await renderPopup('en', { whatsapp: crowdDegraded });
    const strip = root.querySelector('[data-service="whatsapp"] svg.history');
    expect(strip?.getAttribute('aria-label')).toBe('WhatsApp over the last 24 hours: 100% of checks up');
    expect(strip?.querySelectorAll('rect.history-up')).toHaveLength(24);
    expect(strip?.querySelectorAll('rect.history-degraded')).toHaveLength(0);
  });

  it('explains the reports in words, with the count formatted and a real plural', async () => {
    const root = await renderPopup('en', { whatsapp: crowdDegraded });
    expect(root.querySelector('[data-service="whatsapp"] details.why')?.textContent).toContain(
      '1,040 reports in 15 min, usually 36',
    );
  });
});

describe('history strip', () => {
  const bucket = (s: HistoryBucket['s'], checks: number, answered?: number): HistoryBucket => ({
    t: NOW - 30 * MIN,
    s,
    l: 100,
    n: checks,
    ln: checks,
    ...(answered === undefined ? {} : { a: answered }),
  });
  const label = (buckets: HistoryBucket[], locale = 'en') => {
    const view = render(
      <HistoryStrip
        buckets={buckets.map((b, i) => ({ ...b, t: b.t - i * 5 * MIN }))}
        now={NOW}
        name="WhatsApp"
        t={translatorFor(CATALOGS[locale.slice(0, 2)] as MessageCatalog)}
        locale={locale}
      />,
    );
    return view.container.querySelector('svg')?.getAttribute('aria-label');
  };

  it.each<[string, string, HistoryBucket[]]>([
    ['every check answered', '100%', [bucket('up', 12), bucket('up', 12)]],
    ['a bucket with 3 of 12 answered', '62%', [bucket('up', 12), bucket('down', 12, 3)]],
    ['no check answered', '0%', [bucket('down', 6), bucket('unknown', 6)]],
    ['old history: a degraded bucket did not count as up', '50%', [bucket('up', 1), bucket('degraded', 1)]],
    ['rounded down: 100% only when every check answered', '99%', [bucket('up', 199), bucket('down', 1)]],
  ])('%s → %s of checks up', (_name, share, buckets) => {
    expect(label(buckets)).toBe(`WhatsApp over the last 24 hours: ${share} of checks up`);
  });

  it('formats the share for the locale', () => {
    expect(label([bucket('up', 1), bucket('down', 1)], 'fr')).toBe(
      `WhatsApp au cours des dernières 24 heures : en service lors de ${new Intl.NumberFormat('fr', { style: 'percent' }).format(0.5)} des vérifications`,
    );
  });
});

describe('crowd panel: where the reports come from', () => {
  const panel = (countries: Record<string, number>, own: string | null, locale = 'en') => {
    const view = render(
      <CrowdPanel
        service="whatsapp"
        data={{ ...whatsappFeed, countries }}
        problem={null}
        country={own}
        t={translatorFor(CATALOGS[locale] as MessageCatalog)}
        locale={locale}
      />,
    );
    return view.container;
  };
  const where = (root: Element) => root.querySelector('.crowd-countries')?.textContent ?? null;

  it.each<[string, Record<string, number>, string | null, string | null]>([
    ['by name, most first', { IT: 300, GB: 600 }, null, 'Where: United Kingdom (600) · Italy (300)'],
    [
      'the own country marked where it ranks',
      { GB: 600, IT: 300 },
      'IT',
      'Where: United Kingdom (600) · Italy (300, your country)',
    ],
    [
      'the own country added after the top three',
      { GB: 600, IT: 300, FR: 140, DE: 90 },
      'ES',
      'Where: United Kingdom (600) · Italy (300) · France (140) · Spain (0, your country)',
    ],
    ['only the own country', {}, 'IT', 'Where: Italy (0, your country)'],
    ['no countries and no own country: no line at all', {}, null, null],
  ])('%s', (_name, countries, own, text) => {
    const root = panel(countries, own);
    expect(where(root)).toBe(text);
    expect(root.textContent).not.toMatch(/Where: ·|· ·|Where:\s*$/);
  });

  it('marks the own country in bold words, not colour alone', () => {
    const own = panel({ GB: 600, IT: 300 }, 'IT').querySelector('strong.own-country');
    expect(own?.textContent).toBe('Italy (300, your country)');
    expect(own?.getAttribute('data-own-country')).toBe('IT');
  });

  it.each(['it', 'fr', 'ar', 'id'])('names the countries in %s', (locale) => {
    const names = new Intl.DisplayNames(locale, { type: 'region' });
    const text = where(panel({ GB: 600, IT: 300 }, 'IT', locale)) ?? '';
    expect(text).toContain(names.of('GB') ?? 'GB');
    expect(text).toContain(names.of('IT') ?? 'IT');
    expect(text).not.toMatch(/\bGB\b/);
  });

  it('shows a country code from the feed that has no name as text', () => {
    const root = panel({ XX: 5, '<i>x</i>': 2 }, null);
    expect(where(root)).toBe('Where: XX (5) · <i>x</i> (2)');
    expect(root.querySelector('i')).toBeNull();
  });
});
