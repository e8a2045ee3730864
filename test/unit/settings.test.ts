import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, feedUrlProblem, readSettings, SETTINGS_VERSION } from '../../src/core/settings';
import { applySettingsPatch, validateSettingsPatch } from '../../src/core/settings-edit';

describe('readSettings', () => {
  it('gives the defaults on first run', () => {
    expect(readSettings(undefined)).toEqual({ settings: DEFAULT_SETTINGS, repaired: [] });
    expect(DEFAULT_SETTINGS.primary).toBe('whatsapp');
  });

  it('migrates the prototype shape (version 1: minutes, primaryService) in order', () => {
    const { settings, repaired } = readSettings({
      version: 1,
      checkIntervalMinutes: 5,
      primaryService: 'telegram',
    });
    expect(settings.version).toBe(SETTINGS_VERSION);
    expect(settings.checkIntervalSeconds).toBe(300);
    expect(settings.primary).toBe('telegram');
    expect(repaired).toEqual([]);
  });

  it('migrates version 2 to 3: sharing observations is off after an update, whatever was stored', () => {
    for (const stored of [{ version: 2 }, { version: 2, shareObservations: true }]) {
      const { settings, repaired } = readSettings({ ...stored, feedUrl: 'https://feed.example.org' });
      expect(settings).toMatchObject({
        version: 3,
        shareObservations: false,
        feedUrl: 'https://feed.example.org',
      });
      expect(repaired).toEqual([]);
    }
    expect(DEFAULT_SETTINGS.shareObservations).toBe(false);
    // Once the user turned it on (version 3), it stays on.
    expect(readSettings({ version: 3, shareObservations: true }).settings.shareObservations).toBe(true);
  });

  it('treats settings without a version as version 1', () => {
    expect(readSettings({ checkIntervalMinutes: 2 }).settings.checkIntervalSeconds).toBe(120);
  });

  it.each([
    ['a string', 'garbage'],
    ['an array', [1, 2]],
    ['a number', 42],
  ])('survives settings stored as %s', (_name, stored) => {
    expect(readSettings(stored)).toEqual({ settings: DEFAULT_SETTINGS, repaired: ['*'] });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['unknown primary', { primary: 'skype' }, 'primary'],
    ['interval below the alarm minimum', { checkIntervalSeconds: 5 }, 'checkIntervalSeconds'],
    ['interval not a number', { checkIntervalSeconds: '60' }, 'checkIntervalSeconds'],
    ['watched not a list', { watched: 'whatsapp' }, 'watched'],
    ['unknown channel in fallbacks', { fallbacks: ['telegram', 'pigeon'] }, 'fallbacks'],
    ['notifications not a boolean', { notifications: 'yes' }, 'notifications'],
    ['sharing observations not a boolean', { shareObservations: 'yes' }, 'shareObservations'],
    ['feed over plain http', { feedUrl: 'http://feed.example.org/v1' }, 'feedUrl'],
  ])('repairs only the bad key: %s', (_name, bad, key) => {
    const { settings, repaired } = readSettings({
      version: SETTINGS_VERSION,
      primary: 'signal',
      watched: ['signal', 'discord'],
      fallbacks: ['phone'],
      checkIntervalSeconds: 120,
      notifications: false,
      feedUrl: 'https://feed.example.org',
      ...bad,
    });
    expect(repaired).toEqual([key]);
    expect(settings[key as keyof typeof settings]).toEqual(
      DEFAULT_SETTINGS[key as keyof typeof DEFAULT_SETTINGS],
    );
    // The other choices survive.
    if (key !== 'checkIntervalSeconds') expect(settings.checkIntervalSeconds).toBe(120);
    if (key !== 'notifications') expect(settings.notifications).toBe(false);
  });

  it('always watches the primary, in catalog order, without duplicates', () => {
    const { settings } = readSettings({
      version: 2,
      primary: 'slack',
      watched: ['teams', 'teams', 'discord'],
    });
    expect(settings.watched).toEqual(['discord', 'slack', 'teams']);
  });
});

describe('settings updates', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['a valid patch', { primary: 'telegram', checkIntervalSeconds: 120 }, []],
    ['an unknown key', { colour: 'red' }, ['colour']],
    ['a bad interval', { checkIntervalSeconds: 10 }, ['checkIntervalSeconds']],
    ['a feed that is not a URL', { feedUrl: 'feed please' }, ['feedUrl']],
    ['an empty feed (no crowd signal)', { feedUrl: '' }, []],
    ['sharing observations on', { shareObservations: true }, []],
    ['sharing observations as text', { shareObservations: 'on' }, ['shareObservations']],
    [
      'an app of the user',
      { customApps: [{ id: 'custom-bank', name: 'Bank', url: 'https://bank.example/' }] },
      [],
    ],
    [
      'an app of the user at an http address (refused, not dropped)',
      { customApps: [{ id: 'custom-bank', name: 'Bank', url: 'http://bank.example/' }] },
      ['customApps'],
    ],
  ])('validates %s', (_name, patch, keys) => {
    expect(Object.keys(validateSettingsPatch(patch))).toEqual(keys);
  });

  it.each([
    ['https://feed.example.org/', null],
    ['http://localhost:8787', null],
    ['http://127.0.0.1:8787', null],
    ['http://feed.example.org', 'must start with https:// (http:// only for localhost)'],
    ['ftp://feed.example.org', 'must start with https:// (http:// only for localhost)'],
    ['https://user:pw@feed.example.org', 'must not contain a user name or password'],
    ['not a url', 'not a URL'],
  ])('feed URL %s → %s', (url, problem) => {
    expect(feedUrlProblem(url)).toBe(problem);
  });

  it('applies a patch and keeps the primary watched', () => {
    const s = applySettingsPatch(DEFAULT_SETTINGS, { primary: 'discord' });
    expect(s.primary).toBe('discord');
    expect(s.watched).toContain('discord');
  });
});
