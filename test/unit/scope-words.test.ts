// Where a service fails, in words, in the five languages: the popup's headline and scope sentence,
// the badge's tooltip and the "not from your network" notification.
import { describe, expect, it } from 'vitest';
import ar from '../../_locales/ar/messages.json';
import en from '../../_locales/en/messages.json';
import fr from '../../_locales/fr/messages.json';
import id from '../../_locales/id/messages.json';
import it_ from '../../_locales/it/messages.json';
import { badgeKind } from '../../src/core/badge';
import { badgeTitle } from '../../src/core/badge-title';
import { formatDuration } from '../../src/core/format-more';
import { headline } from '../../src/core/headline';
import { noticeText } from '../../src/core/notice-text';
import type { CrowdScope } from '../../src/core/scope';
import { scopeSentence } from '../../src/core/scope-text';
import { describeReason, type MessageCatalog, translatorFor } from '../../src/core/translate';
import type { MonitorState, ServiceState } from '../../src/core/types';
import type { ServiceProbes } from '../../src/shared/feed';
import { MIN, serviceState, T, T0 } from './helpers';

const CATALOGS: Record<string, MessageCatalog> = { en, it: it_, fr, ar, id };
const LANGS = Object.keys(CATALOGS);
const tr = (lang: string) => translatorFor(CATALOGS[lang] as MessageCatalog);
const n = (value: number, locale: string) => new Intl.NumberFormat(locale).format(value);
const region = (code: string, locale: string) => new Intl.DisplayNames(locale, { type: 'region' }).of(code);

const scope = (kind: CrowdScope['kind'], down: number, total: number, country: string | null = null) => ({
  kind,
  country,
  down,
  total,
});
const EVERYWHERE: ServiceProbes = {
  down: 37,
  up: 4,
  countries: { IT: [20, 1], FR: [9, 1], GB: [5, 1], DE: [3, 1] },
  scope: 'everyone',
};
const failing = (s: CrowdScope) =>
  serviceState({ status: 'down', probeStatus: 'down', since: T0 - 12 * MIN, scope: s });
const local = serviceState({
  status: 'degraded',
  probeStatus: 'down',
  cause: 'local',
  since: T0 - 12 * MIN,
  scope: scope('network', 1, 121),
});
const othersCantReach = serviceState({
  status: 'degraded',
  probeStatus: 'up',
  cause: 'crowd',
  since: T0 - 12 * MIN,
  scope: scope('everyone', 37, 41),
});
const stateOf = (whatsapp: ServiceState): MonitorState => ({
  connectivity: 'online',
  connectivityReasons: [{ code: 'controlsOk' }],
  checkedAt: T0,
  services: { whatsapp },
});

describe('the scope sentence, in English', () => {
  const say = (s: ServiceState | undefined, probes?: ServiceProbes) =>
    scopeSentence('whatsapp', s, probes, tr('en'), 'en', []);
  it.each<[string, ServiceState | undefined, ServiceProbes | undefined, string | null]>([
    [
      'down for everyone, and here: the three countries with the most networks down, then "…"',
      failing(scope('everyone', 37, 41)),
      EVERYWHERE,
      'Down for others too: 37 of 41 networks that check WhatsApp can’t reach it (Italy, France, United Kingdom…)',
    ],
    [
      'down for everyone, three countries: no "…"',
      failing(scope('everyone', 34, 38)),
      { ...EVERYWHERE, countries: { IT: [20, 1], FR: [9, 1], GB: [5, 1] } },
      'Down for others too: 34 of 38 networks that check WhatsApp can’t reach it (Italy, France, United Kingdom)',
    ],
    [
      'down for everyone, no countries listed',
      failing(scope('everyone', 37, 41)),
      { ...EVERYWHERE, countries: {} },
      'Down for others too: 37 of 41 networks that check WhatsApp can’t reach it',
    ],
    [
      'down for everyone while it answers here',
      othersCantReach,
      EVERYWHERE,
      'Down for others: 37 of 41 networks that check WhatsApp can’t reach it (Italy, France, United Kingdom…); it still answers from here',
    ],
    [
      'one network in all: singular',
      failing(scope('everyone', 1, 1)),
      undefined,
      'Down for others too: 1 of 1 network that checks WhatsApp can’t reach it',
    ],
    [
      'down in one country',
      failing(scope('country', 30, 32, 'IT')),
      undefined,
      'Down in Italy: 30 of 32 networks there can’t reach it; it works elsewhere',
    ],
    [
      'down in one country the feed did not count',
      failing(scope('country', 0, 0, 'IR')),
      undefined,
      'Down in Iran; it works elsewhere',
    ],
    [
      'only this network',
      local,
      undefined,
      'Other browsers reach WhatsApp right now (120 networks): the problem is probably your network, firewall or VPN',
    ],
    ['nothing to tell', failing(scope('unknown', 0, 2)), undefined, null],
    ['no scope', failing(null as unknown as CrowdScope), undefined, null],
    ['no state', undefined, undefined, null],
    [
      'offline here: nothing, whatever others see',
      serviceState({ status: 'unknown', probeStatus: 'unknown', scope: scope('everyone', 37, 41) }),
      EVERYWHERE,
      null,
    ],
  ])('%s', (_name, s, probes, expected) => {
    expect(say(s, probes)).toBe(expected);
  });
});

describe.each(LANGS)('in %s', (lang) => {
  const t = tr(lang);
  const english = tr('en');
  const cases: [string, () => string | null, () => string | null][] = [
    [
      'everyone',
      () => scopeSentence('whatsapp', failing(scope('everyone', 37, 41)), EVERYWHERE, t, lang, []),
      () => scopeSentence('whatsapp', failing(scope('everyone', 37, 41)), EVERYWHERE, english, 'en', []),
    ],
    [
      'everyone, not here',
      () => scopeSentence('whatsapp', othersCantReach, EVERYWHERE, t, lang, []),
      () => scopeSentence('whatsapp', othersCantReach, EVERYWHERE, english, 'en', []),
    ],
    [
      'country',
      () => scopeSentence('whatsapp', failing(scope('country', 30, 32, 'IT')), undefined, t, lang, []),
      () => scopeSentence('whatsapp', failing(scope('country', 30, 32, 'IT')), undefined, english, 'en', []),
    ],
    [
      'only you',
      () => scopeSentence('whatsapp', local, undefined, t, lang, []),
      () => scopeSentence('whatsapp', local, undefined, english, 'en', []),
    ],
    [
      'headline, only you',
      () => headline(stateOf(local), 'whatsapp', ['whatsapp'], false, t, lang, []).text,
      () => headline(stateOf(local), 'whatsapp', ['whatsapp'], false, english, 'en', []).text,
    ],
    [
      'headline, down for others',
      () => headline(stateOf(othersCantReach), 'whatsapp', ['whatsapp'], false, t, lang, []).text,
      () => headline(stateOf(othersCantReach), 'whatsapp', ['whatsapp'], false, english, 'en', []).text,
    ],
  ];
  it.each(cases)('says %s in its own words, with every number and name filled in', (name, ours, theirs) => {
    const text = ours() ?? '';
    expect(text).not.toBe('');
    expect(text).not.toMatch(/\$/);
    // The country sentence names the country instead of the app.
    if (name !== 'country') expect(text).toContain('WhatsApp');
    if (lang !== 'en') expect(text).not.toBe(theirs());
  });

  it('names the country and the countries in its language, and formats the counts', () => {
    const country = scopeSentence(
      'whatsapp',
      failing(scope('country', 1030, 1032, 'IT')),
      undefined,
      t,
      lang,
      [],
    );
    expect(country).toContain(region('IT', lang));
    expect(country).toContain(n(1030, lang));
    expect(country).toContain(n(1032, lang));
    const everyone = scopeSentence('whatsapp', failing(scope('everyone', 37, 41)), EVERYWHERE, t, lang, []);
    for (const code of ['IT', 'FR', 'GB']) expect(everyone).toContain(region(code, lang));
    expect(everyone).not.toContain(region('DE', lang));
    expect(everyone).toContain('…');
  });

  it('names the other browsers when they disagree with the verdict', () => {
    const why = describeReason({ code: 'disagree', args: ['browsers'] }, t, lang);
    expect(why).toBe(t('reason_disagree', [t('sourceBrowsers')]));
  });

  it('titles the badge "only this network", never "down"', () => {
    const input = {
      state: stateOf(local),
      primary: 'whatsapp' as const,
      watched: ['whatsapp' as const],
      intervalSeconds: 60,
      now: T0,
      thresholds: T,
    };
    const kind = badgeKind(input);
    expect(kind).toBe('degraded');
    const title = badgeTitle(input, kind, t, lang, []);
    expect(title).toContain('WhatsApp');
    expect(title).not.toMatch(/\$/);
    expect(title).not.toContain(t('statusDown'));
    expect(title).toBe(t('titleLocalFor', ['WhatsApp', formatDuration(12 * MIN, t, lang)]));
  });

  it('notifies "can’t reach it from your network", with the networks that can', () => {
    const text = noticeText(
      {
        kind: 'local',
        id: 'x',
        service: 'whatsapp',
        services: ['whatsapp'],
        since: T0,
        durationMs: 0,
        fallback: null,
        othersUp: 120,
      },
      t,
      lang,
      [],
    );
    expect(text.title).toBe(t('notifyLocalTitle', ['WhatsApp']));
    expect(text.message).toContain(n(120, lang));
    expect(text.message).not.toMatch(/\$/);
    expect(text).toMatchObject({ openUrl: null, openLabel: null });
  });
});

describe('Arabic plurals: the counted networks take their real form', () => {
  const t = tr('ar');
  const networks = (up: number) =>
    scopeSentence('whatsapp', { ...local, scope: scope('network', 0, up) }, undefined, t, 'ar', []) ?? '';
  it.each<[number, string, boolean]>([
    [0, 'شبكة', true], // zero: the number, then the noun
    [1, 'شبكة واحدة', false], // one: "a single network", no number
    [2, 'شبكتان', false], // two: the dual, no number
    [3, 'شبكات', true], // few (3–10): the plural
    [11, 'شبكة', true], // many (11–99): the singular
    [100, 'شبكة', true], // other
  ])('%i networks', (up, noun, withNumber) => {
    const text = networks(up);
    expect(text).toContain(`(${withNumber ? `${n(up, 'ar')} ` : ''}${noun})`);
  });

  it('counts "of N networks" by the total', () => {
    const two = scopeSentence('whatsapp', failing(scope('everyone', 2, 2)), undefined, t, 'ar', []);
    expect(two).toContain('من أصل شبكتين تفحصان WhatsApp');
    const five = scopeSentence('whatsapp', failing(scope('everyone', 4, 5)), undefined, t, 'ar', []);
    expect(five).toContain(`${n(4, 'ar')} من أصل ${n(5, 'ar')} شبكات تفحص WhatsApp`);
  });
});
