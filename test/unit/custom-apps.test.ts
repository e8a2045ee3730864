// The user's own apps: what the form refuses and why, how stored apps are read, how settings follow a
// removal, and one check step with an app of the user's failing (checked, told, a fallback; never shared).
import { describe, expect, it } from 'vitest';
import { appEntry } from '../../src/core/catalog';
import { channelLinks } from '../../src/core/contacts';
import {
  type CustomApp,
  type CustomAppDraft,
  customAppId,
  customAppOfDraft,
  customAppProblems,
  MAX_CUSTOM_APPS,
  readCustomApps,
  slugOf,
} from '../../src/core/custom-apps';
import { rankFallbacks } from '../../src/core/fallbacks';
import type { Observer } from '../../src/core/observe';
import { isServiceId, serviceName } from '../../src/core/services';
import { DEFAULT_SETTINGS, readSettings } from '../../src/core/settings';
import { INITIAL_RECORD, type Observations, step } from '../../src/core/step';
import { CONNECTED, confirmedFailure, MY_BANK, ok, T, T0, t } from './helpers';

const BANK: CustomApp = { ...MY_BANK, statusUrl: 'https://status.bank.example/api/v2/summary.json' };
const draft = (fields: Partial<CustomAppDraft>): CustomAppDraft => ({
  name: 'School chat',
  url: 'https://chat.school.example/',
  statusUrl: '',
  openUrl: '',
  ...fields,
});
const many = (n: number): CustomApp[] =>
  Array.from({ length: n }, (_, i) => ({
    ...BANK,
    id: `custom-app-${i + 1}`,
    name: `App ${i + 1}`,
    url: `https://a${i}.example/`,
  }));

describe('adding an app: the problems shown per field', () => {
  it.each<[string, Partial<CustomAppDraft>, CustomApp[], Record<string, string>]>([
    ['a valid app', {}, [BANK], {}],
    [
      'a valid app with every field',
      { statusUrl: 'https://s.example/api/v2/status.json', openUrl: 'https://x.example/' },
      [],
      {},
    ],
    ['no name', { name: '  ' }, [], { customName: 'nameMissing' }],
    ['a name over 40 characters', { name: 'x'.repeat(41) }, [], { customName: 'nameTooLong' }],
    ['the name of a catalog app', { name: 'whatsapp' }, [], { customName: 'duplicate' }],
    ['the name of an app already added', { name: ' my bank ' }, [BANK], { customName: 'duplicate' }],
    [
      'the address of an app already added',
      { url: 'https://bank.example' },
      [BANK],
      { customUrl: 'duplicate' },
    ],
    ['no address', { url: '' }, [], { customUrl: 'notUrl' }],
    ['not an address', { url: 'bank dot com' }, [], { customUrl: 'notUrl' }],
    ['a plain http address', { url: 'http://bank.example/' }, [], { customUrl: 'notHttps' }],
    ['a user name in the address', { url: 'https://me:pw@bank.example/' }, [], { customUrl: 'notUrl' }],
    [
      'a status page that is not Statuspage',
      { statusUrl: 'https://status.example/' },
      [],
      { customStatusUrl: 'notStatuspage' },
    ],
    [
      'a status page over http',
      { statusUrl: 'http://s.example/api/v2/summary.json' },
      [],
      { customStatusUrl: 'notHttps' },
    ],
    ['a javascript: link to open', { openUrl: 'javascript:alert(1)' }, [], { customOpenUrl: 'notHttps' }],
    ['one app too many', {}, many(MAX_CUSTOM_APPS), { customName: 'tooMany' }],
  ])('%s', (_, fields, existing, problems) => {
    expect(customAppProblems(draft(fields), existing)).toEqual(problems);
  });
});

describe('ids', () => {
  it.each([
    ['My Bank', 'my-bank'],
    ['  École   du Village! ', 'ecole-du-village'],
    ['مدرسة', 'app'],
    ['a'.repeat(50), 'a'.repeat(30)],
  ])('slug of %j is %j', (name, slug) => {
    expect(slugOf(name)).toBe(slug);
    expect(isServiceId(`custom-${slug}`)).toBe(true);
  });

  it('numbers an id that is taken', () => {
    expect(customAppId('My Bank', [])).toBe('custom-my-bank');
    expect(customAppId('My bank', ['custom-my-bank', 'custom-my-bank-2'])).toBe('custom-my-bank-3');
  });

  it('makes the app of a valid draft, addresses normalized, empty options null', () => {
    expect(customAppOfDraft(draft({ url: ' https://Chat.School.example ' }), [])).toEqual({
      id: 'custom-school-chat',
      name: 'School chat',
      url: 'https://chat.school.example/',
      statusUrl: null,
      openUrl: null,
    });
  });
});

describe('reading stored apps', () => {
  it.each<[string, unknown, string[]]>([
    ['a good list', [BANK], ['custom-my-bank']],
    [
      'a bad item among good ones is dropped alone',
      [BANK, { id: 'custom-x', name: 'X', url: 'http://x/' }, 7],
      ['custom-my-bank'],
    ],
    ['an id that is not custom-', [{ ...BANK, id: 'whatsapp' }], []],
    ['a repeated id, kept once', [BANK, { ...BANK, name: 'Other' }], ['custom-my-bank']],
    ['more than the cap', many(MAX_CUSTOM_APPS + 3), many(MAX_CUSTOM_APPS).map((a) => a.id)],
  ])('%s', (_, raw, ids) => {
    const read = readCustomApps(raw);
    expect(Array.isArray(read) ? read.map((a) => a.id) : read).toEqual(ids);
  });

  it('drops a bad status page or link but keeps the app', () => {
    const read = readCustomApps([{ ...BANK, statusUrl: 'https://evil.example/', openUrl: 'javascript:x' }]);
    expect(read).toEqual([{ ...BANK, statusUrl: null, openUrl: null }]);
  });

  it('resets a value that is not a list to no apps', () => {
    expect(readSettings({ version: 3, customApps: 'x' })).toMatchObject({
      settings: { customApps: [] },
      repaired: ['customApps'],
    });
  });
});

describe('settings with apps of the user', () => {
  /** Settings that choose the bank everywhere, read with these apps stored. */
  const chosenEverywhere = (customApps: CustomApp[]) =>
    readSettings({
      ...DEFAULT_SETTINGS,
      customApps,
      primary: 'custom-my-bank',
      watched: ['custom-my-bank', 'telegram'],
      fallbacks: ['custom-my-bank', 'phone'],
    }).settings;

  it('keeps a user app as primary, watched and fallback, and names it as the user did', () => {
    const settings = chosenEverywhere([BANK]);
    expect(settings).toMatchObject({
      primary: 'custom-my-bank',
      watched: ['telegram', 'custom-my-bank'],
      fallbacks: ['custom-my-bank', 'phone'],
    });
    expect(serviceName('custom-my-bank', settings.customApps)).toBe('My Bank');
    expect(appEntry('custom-my-bank', settings.customApps)).toMatchObject({
      probes: [{ url: 'https://bank.example/' }],
      official: { kind: 'statuspage', url: BANK.statusUrl },
    });
    expect(channelLinks('custom-my-bank', undefined, settings.customApps)).toEqual({
      web: 'https://bank.example/',
      app: null,
    });
  });

  it('cleans a removed app from primary, watched and fallbacks', () => {
    const settings = chosenEverywhere([]);
    expect(settings).toMatchObject({
      primary: 'whatsapp',
      watched: ['whatsapp', 'telegram'],
      fallbacks: ['phone'],
    });
    expect(appEntry('custom-my-bank', settings.customApps)).toBeNull();
  });
});

describe('one check with an app of the user failing', () => {
  // The settings hold the user's app: the step names it, probes it and links to it from them.
  const read = () =>
    readSettings({
      ...DEFAULT_SETTINGS,
      customApps: [BANK],
      primary: 'custom-my-bank',
      watched: ['custom-my-bank', 'whatsapp'],
      fallbacks: ['whatsapp', 'phone'],
      shareObservations: true,
      feedUrl: 'https://feed.example/',
    }).settings;
  const observations: Observations = {
    probes: [
      { service: 'custom-my-bank', attempts: confirmedFailure() },
      { service: 'whatsapp', attempts: [ok] },
    ],
    connectivity: CONNECTED,
    official: { reports: [], cache: {} },
    crowd: { signals: {}, cache: null },
  };
  const observer: Observer = { client: 'k3J9x0Qe-7YpLm2Z', country: null, sampleDraw: 0 };
  const run = (record = INITIAL_RECORD, now = T0) =>
    step({
      record,
      observations,
      settings: read(),
      now,
      localMinutes: 600,
      thresholds: T,
      wording: { t, locale: 'en' },
      observer,
      jitter: 0,
    });

  it('is down, red on the badge, told once confirmed, with WhatsApp as the way out, and never sent to the feed', () => {
    const first = run();
    expect(first.record.state.services['custom-my-bank']?.status).toBe('down');
    expect(first.badge.kind).toBe('primary-down');
    expect(first.badge.title).toMatch(/^My Bank: down/);
    const second = run(first.record, T0 + 60_000);
    expect(second.notices.map((n) => `${n.kind} ${n.service} ${n.fallback}`)).toEqual([
      'down custom-my-bank whatsapp',
    ]);
    expect(
      rankFallbacks(read().primary, read().fallbacks, second.record.state).map((c) => c.channel),
    ).toEqual(['whatsapp', 'phone']);
    // Sharing is on: the post names WhatsApp and leaves the user's app out.
    expect(first.observation?.services).toEqual({ whatsapp: 'up' });
  });
});
