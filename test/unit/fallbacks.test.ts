import { describe, expect, it } from 'vitest';
import { awayMessage } from '../../src/core/away-message';
import { channelLinks, exportContacts, isValidHandle, readContacts } from '../../src/core/contacts';
import { rankFallbacks } from '../../src/core/fallbacks';
import { headline } from '../../src/core/headline';
import type { ChannelId, ServiceId } from '../../src/core/services';
import { INITIAL_STATE, type MonitorState, type Status } from '../../src/core/types';
import { MIN, serviceState, T0, t } from './helpers';

/** Statuses by service; 'up~' is up with the flap flag on (answers now, keeps going up and down). */
function state(
  statuses: Partial<Record<ServiceId, Status | 'up~'>>,
  connectivity: MonitorState['connectivity'] = 'online',
): MonitorState {
  const services = Object.fromEntries(
    Object.entries(statuses).map(([id, raw]) => {
      const status: Status = raw === 'up~' ? 'up' : (raw as Status);
      return [id, serviceState({ status, since: T0 - 12 * MIN, unstable: raw === 'up~' })];
    }),
  );
  return { ...INITIAL_STATE, connectivity, checkedAt: T0, services };
}
const ALL: ChannelId[] = ['messenger', 'instagram', 'telegram', 'signal', 'discord', 'phone', 'sms', 'email'];
const rank = (
  s: MonitorState,
  fallbacks: ChannelId[] = ['telegram', 'signal', 'phone'],
  primary: ServiceId = 'whatsapp',
) => rankFallbacks(primary, fallbacks, s).map((c) => c.channel);

describe('rankFallbacks', () => {
  it.each<[string, MonitorState, ChannelId[], ChannelId[]]>([
    [
      'WhatsApp down → the user order',
      state({ whatsapp: 'down', telegram: 'up', signal: 'up' }),
      ['telegram', 'signal', 'phone'],
      ['telegram', 'signal', 'phone'],
    ],
    ['WhatsApp up → nothing to suggest', state({ whatsapp: 'up' }), ['telegram'], []],
    ['WhatsApp degraded → suggestions too', state({ whatsapp: 'degraded' }), ['telegram'], ['telegram']],
    ['WhatsApp up but flapping → suggestions too', state({ whatsapp: 'up~' }), ['telegram'], ['telegram']],
    [
      'a flapping fallback is skipped, even while it answers',
      state({ whatsapp: 'down', telegram: 'up~' }),
      ['telegram', 'phone'],
      ['phone'],
    ],
    [
      'a fallback that is down is skipped',
      state({ whatsapp: 'down', telegram: 'down', signal: 'up' }),
      ['telegram', 'signal', 'phone'],
      ['signal', 'phone'],
    ],
    [
      'an unstable fallback is skipped',
      state({ whatsapp: 'down', telegram: 'degraded' }),
      ['telegram', 'phone'],
      ['phone'],
    ],
    [
      'all of Meta down → never Messenger or Instagram',
      state({ whatsapp: 'down', messenger: 'down', instagram: 'down' }),
      ALL,
      ['telegram', 'signal', 'discord', 'phone', 'sms', 'email'],
    ],
    [
      'Meta services are skipped even when unwatched',
      state({ whatsapp: 'down' }),
      ALL,
      ['telegram', 'signal', 'discord', 'phone', 'sms', 'email'],
    ],
    [
      'the primary itself is never suggested',
      state({ whatsapp: 'down' }),
      ['whatsapp', 'telegram'],
      ['telegram'],
    ],
    [
      'offline → no suggestions: it is your connection',
      state({ whatsapp: 'unknown' }, 'offline'),
      ['telegram', 'phone'],
      [],
    ],
    ['captive portal → no suggestions', state({ whatsapp: 'unknown' }, 'captive'), ['telegram', 'phone'], []],
  ])('%s', (_name, s, fallbacks, expected) => {
    expect(rank(s, fallbacks)).toEqual(expected);
  });

  it('skips the failing provider for any primary (Telegram down → WhatsApp is fine)', () => {
    expect(rank(state({ telegram: 'down' }), ['whatsapp', 'signal'], 'telegram')).toEqual([
      'whatsapp',
      'signal',
    ]);
  });
});

describe('headline', () => {
  const h = (s: MonitorState, stale = false) =>
    headline(s, 'whatsapp', ['whatsapp', 'telegram', 'discord'], stale, t, 'en-GB', []);
  it.each<[string, MonitorState, boolean, string, string]>([
    ['down', state({ whatsapp: 'down' }), false, 'WhatsApp is down · since 13:50', 'bad'],
    ['degraded', state({ whatsapp: 'degraded' }), false, 'WhatsApp is unstable · since 13:50', 'warn'],
    ['up', state({ whatsapp: 'up', telegram: 'up' }), false, 'WhatsApp is working', 'ok'],
    [
      'up but flapping',
      state({ whatsapp: 'up~' }),
      false,
      'WhatsApp is working, but keeps going up and down',
      'warn',
    ],
    [
      'others down',
      state({ whatsapp: 'up', telegram: 'down', discord: 'down' }),
      false,
      'WhatsApp works · Telegram and Discord down',
      'warn',
    ],
    ['offline', state({}, 'offline'), false, 'You are offline', 'neutral'],
    ['captive', state({}, 'captive'), false, 'Behind a Wi-Fi login page', 'neutral'],
    ['stale', state({ whatsapp: 'down' }), true, 'Results out of date (last check at 14:02)', 'neutral'],
    ['never checked', { ...INITIAL_STATE }, false, 'Checking WhatsApp…', 'neutral'],
  ])('%s', (_name, s, stale, text, tone) => {
    expect(h(s, stale)).toEqual({ text, tone });
  });
});

describe('away message', () => {
  it('is built from the user’s own handles in fallback order', () => {
    expect(
      awayMessage(
        'whatsapp',
        ['telegram', 'signal', 'phone'],
        { telegram: '@me', phone: '+39 333 123 4567' },
        t,
        'en',
        [],
      ),
    ).toBe('WhatsApp is down right now. Reach me on Telegram @me or call +39 333 123 4567.');
  });
  it('isolates handles in right-to-left languages so "+39 …" is not scrambled', () => {
    expect(awayMessage('whatsapp', ['phone'], { phone: '+39 333' }, t, 'ar', [])).toContain(
      '\u2068+39 333\u2069',
    );
  });
  it('is null without any handle', () => {
    expect(awayMessage('whatsapp', ['telegram'], {}, t, 'en', [])).toBeNull();
  });
  it('speaks Italian list words when the locale is Italian', () => {
    expect(
      awayMessage(
        'whatsapp',
        ['telegram', 'email'],
        { telegram: '@me', email: 'me@example.org' },
        t,
        'it',
        [],
      ),
    ).toContain(' o ');
  });
});

describe('contacts', () => {
  it('reads good entries and counts the bad ones', () => {
    const r = readContacts([
      {
        id: 'maria',
        name: 'Maria',
        handles: { telegram: '@maria_rossi', phone: '+39 333 123 4567', email: 'not-an-email' },
      },
      { name: '' },
      'garbage',
      { name: 'Ahmed', handles: { signal: '+20 100 000 0000' } },
    ]);
    expect(r.dropped).toBe(2);
    expect(r.contacts).toEqual([
      { id: 'maria', name: 'Maria', handles: { telegram: '@maria_rossi', phone: '+39 333 123 4567' } },
      { id: 'c2', name: 'Ahmed', handles: { signal: '+20 100 000 0000' } },
    ]);
  });

  it('round-trips through the export file', () => {
    const { contacts } = readContacts([{ id: 'a', name: 'A', handles: { email: 'a@example.org' } }]);
    expect(readContacts(JSON.parse(exportContacts(contacts)))).toEqual({ contacts, dropped: 0 });
  });

  it.each([
    ['a non-list', { contacts: 'x' }],
    ['a number', 5],
  ])('treats %s as unreadable', (_n, raw) => {
    expect(readContacts(raw)).toEqual({ contacts: [], dropped: 1 });
  });

  it.each<[Parameters<typeof isValidHandle>[0], string, boolean]>([
    ['telegram', '@maria_rossi', true],
    ['telegram', 'ma', false],
    ['telegram', '@evil"><script>', false],
    ['phone', '+39 333 123 4567', true],
    ['phone', 'call me', false],
    ['email', 'maria@example.org', true],
    ['email', 'maria', false],
  ])('validates %s handle %s', (channel, value, ok) => {
    expect(isValidHandle(channel, value)).toBe(ok);
  });

  it.each<[ChannelId, string | undefined, string | null, string | null]>([
    ['telegram', '@maria_rossi', 'https://t.me/maria_rossi', 'tg://resolve?domain=maria_rossi'],
    ['telegram', undefined, 'https://web.telegram.org/', 'tg://'],
    ['signal', '+39 333 123', 'https://signal.me/#p/+39333123', 'sgnl://signal.me/#p/+39333123'],
    ['phone', '+39 333 123', null, 'tel:+39333123'],
    ['sms', undefined, null, 'sms:'],
    ['email', 'a@example.org', null, 'mailto:a@example.org'],
  ])('links %s %s', (channel, handle, web, app) => {
    expect(channelLinks(channel, handle, [])).toEqual({ web, app });
  });
});
