import { describe, expect, it } from 'vitest';
import { type GroupLinkProblem, groupApp, groupLinkProblem } from '../../src/core/backup-group';
import { type Contact, exportContacts, readContacts } from '../../src/core/contacts';
import { rankFallbacks } from '../../src/core/fallbacks';
import { type ProblemFocus, problemFocus } from '../../src/core/problem-focus';
import { readiness } from '../../src/core/readiness';
import type { ChannelId, ServiceId } from '../../src/core/services';
import { DEFAULT_THRESHOLDS } from '../../src/core/thresholds';
import { INITIAL_STATE, type MonitorState } from '../../src/core/types';
import type { Problem } from '../../src/shared/feed';
import { MIN, serviceState, T0 } from './helpers';

const SIGNAL_GROUP =
  'https://signal.group/#CjQKIAtcbUw482i7bqvmJCwdgvg0FMif52N6JyDbdThy55EtEhA43G4JqQEJY9Mx4O8QMakv';
const TELEGRAM_INVITE = 'https://t.me/+AbCdEfGh12345678';

describe('backup group links', () => {
  it.each<[string, string, 'signal' | 'telegram' | null, GroupLinkProblem | null]>([
    ['a Signal group link', SIGNAL_GROUP, 'signal', null],
    ['a Telegram invite (t.me/+)', TELEGRAM_INVITE, 'telegram', null],
    ['an older Telegram invite (joinchat)', 'https://t.me/joinchat/AAAAAEHbEkejzxUjAUCzYQ', 'telegram', null],
    ['telegram.me instead of t.me', 'https://telegram.me/+AbCdEfGh12345678', 'telegram', null],
    ['surrounding spaces', `  ${TELEGRAM_INVITE}\n`, 'telegram', null],
    ['empty: no group', '', null, null],
    ['plain words', 'family group', null, 'not-a-link'],
    ['a Telegram user name', '@maria_rossi', null, 'not-a-link'],
    ['a public Telegram name is not an invite', 'https://t.me/maria_rossi', null, 'not-an-invite'],
    ['http, not https', 'http://t.me/+AbCdEfGh12345678', null, 'not-an-invite'],
    ['another host', 'https://signal.group.evil.example/#CjQKIAtcbUw482i7bqvmJCwd', null, 'not-an-invite'],
    [
      'a user name before the host',
      'https://me@signal.group/#CjQKIAtcbUw482i7bqvmJCwd',
      null,
      'not-an-invite',
    ],
    ['a Signal link without its key', 'https://signal.group/#', null, 'not-an-invite'],
    ['anything after the code', `${TELEGRAM_INVITE}?x=<script>`, null, 'not-an-invite'],
    [
      'a WhatsApp group (not a fallback app here)',
      'https://chat.whatsapp.com/AbCdEfGh12345678',
      null,
      'not-an-invite',
    ],
    ['a javascript: link', 'javascript:alert(1)', null, 'not-a-link'],
    ['a link too long to be an invite', `https://signal.group/#${'A'.repeat(600)}`, null, 'not-an-invite'],
  ])('%s', (_, link, app, problem) => {
    expect(groupApp(link)).toBe(app);
    expect(groupLinkProblem(link)).toBe(problem);
  });

  it('travels with the contact through export and import; a bad link is dropped, not the contact', () => {
    const contacts: Contact[] = [{ id: 'fam', name: 'Family', handles: {}, group: SIGNAL_GROUP }];
    expect(readContacts(JSON.parse(exportContacts(contacts))).contacts).toEqual(contacts);
    const tampered = [
      { id: 'fam', name: 'Family', handles: { phone: '+39 333 123 4567' }, group: 'javascript:x' },
    ];
    expect(readContacts(tampered)).toEqual({
      contacts: [{ id: 'fam', name: 'Family', handles: { phone: '+39 333 123 4567' } }],
      dropped: 0,
    });
  });
});

describe('readiness', () => {
  const maria: Contact = { id: 'maria', name: 'Maria', handles: { whatsapp: '+39 333 123 4567' } };
  const luca: Contact = { id: 'luca', name: 'Luca', handles: { whatsapp: '+39 333 1', telegram: 'luca_b' } };
  const family: Contact = { id: 'fam', name: 'Family', handles: {}, group: SIGNAL_GROUP };
  const nobody: Contact = { id: 'x', name: 'Nobody', handles: {} };

  it.each<[string, ServiceId, ChannelId[], Contact[], string[]]>([
    ['only a WhatsApp number: stranded when WhatsApp fails', 'whatsapp', ['telegram'], [maria], ['maria']],
    ['a Telegram handle is a second way', 'whatsapp', ['telegram'], [luca], []],
    ['a Signal group is a second way', 'whatsapp', ['telegram'], [family], []],
    ['no handle at all: stranded', 'whatsapp', ['telegram'], [nobody], ['x']],
    ['with Telegram the main app, a Telegram handle alone is not enough', 'telegram', ['signal'], [luca], []],
    [
      'with Messenger the main app, WhatsApp fails with it (Meta)',
      'messenger',
      ['telegram'],
      [maria],
      ['maria'],
    ],
    [
      'a phone number reaches them whatever fails',
      'whatsapp',
      [],
      [{ ...nobody, handles: { phone: '+39 06 1234' } }],
      [],
    ],
  ])('%s', (_, primary, fallbacks, contacts, stranded) => {
    expect(readiness(primary, fallbacks, {}, contacts, []).stranded.map((c) => c.id)).toEqual(stranded);
  });

  it.each<[string, ServiceId, ChannelId[], Record<string, string>, string[]]>([
    [
      'no handles: every fallback that takes one',
      'whatsapp',
      ['telegram', 'signal', 'phone'],
      {},
      ['telegram', 'signal', 'phone'],
    ],
    ['a handle fills its channel', 'whatsapp', ['telegram', 'phone'], { telegram: '@me_here' }, ['phone']],
    ['apps without handles (Discord) are not asked for one', 'whatsapp', ['discord', 'email'], {}, ['email']],
    ['the main app and its provider are skipped', 'whatsapp', ['whatsapp', 'messenger', 'sms'], {}, ['sms']],
  ])('missing handles: %s', (_, primary, fallbacks, handles, missing) => {
    expect(readiness(primary, fallbacks, handles, [], []).missingHandles).toEqual(missing);
  });

  it('links each fallback app to its download page and its app, skipping the failing provider', () => {
    const { apps } = readiness(
      'whatsapp',
      ['instagram', 'signal', 'phone', 'telegram', 'messenger'],
      {},
      [],
      [],
    );
    expect(apps).toEqual([
      { channel: 'signal', get: 'https://signal.org/download/', open: 'sgnl://' },
      { channel: 'telegram', get: 'https://telegram.org/apps', open: 'tg://' },
    ]);
    expect(readiness('telegram', ['instagram'], {}, [], []).apps).toEqual([
      { channel: 'instagram', get: 'https://www.instagram.com/direct/inbox/', open: 'instagram://' },
    ]);
  });

  it('is ready when no contact is stranded and every fallback handle is there', () => {
    expect(readiness('whatsapp', ['telegram'], { telegram: 'me_here' }, [luca, family], []).ready).toBe(true);
    expect(readiness('whatsapp', ['telegram'], { telegram: 'me_here' }, [maria], []).ready).toBe(false);
    expect(readiness('whatsapp', ['telegram'], {}, [luca], []).ready).toBe(false);
  });
});

describe('problemFocus', () => {
  it.each<[string, Partial<Record<Problem, number>> | undefined, ProblemFocus | null]>([
    ['no breakdown', undefined, null],
    ['mostly calls', { calls: 40, messages: 8, login: 2 }, 'calls'],
    ['mostly messages', { messages: 300, connection: 90, login: 22 }, 'messages'],
    ['exactly two in three about calls', { calls: 20, messages: 10 }, 'calls'],
    ['just under two in three', { calls: 19, messages: 10 }, null],
    ['a clear majority of too few reports', { calls: 19 }, null],
    ['twenty reports, all calls', { calls: 20 }, 'calls'],
    ['a split outage', { calls: 50, messages: 50 }, null],
    ['mostly connection: no function to name', { connection: 80, calls: 10, messages: 10 }, null],
  ])('%s', (_, problems, focus) => {
    expect(problemFocus(problems, DEFAULT_THRESHOLDS)).toBe(focus);
  });
});

describe('rankFallbacks for the function that fails', () => {
  const whatsappDown: MonitorState = {
    ...INITIAL_STATE,
    connectivity: 'online',
    checkedAt: T0,
    services: { whatsapp: serviceState({ status: 'down', since: T0 - 12 * MIN }) },
  };
  it.each<[string, ChannelId[], ProblemFocus | null, ChannelId[]]>([
    ['no focus: the user order', ['telegram', 'signal', 'phone'], null, ['telegram', 'signal', 'phone']],
    [
      'calls fail: the phone first',
      ['telegram', 'signal', 'phone'],
      'calls',
      ['phone', 'telegram', 'signal'],
    ],
    ['calls fail, no phone: the user order', ['telegram', 'sms'], 'calls', ['telegram', 'sms']],
    [
      'messages fail: messengers first',
      ['phone', 'sms', 'signal', 'email', 'telegram'],
      'messages',
      ['signal', 'telegram', 'phone', 'sms', 'email'],
    ],
  ])('%s', (_, fallbacks, focus, ranked) => {
    expect(rankFallbacks('whatsapp', fallbacks, whatsappDown, focus).map((c) => c.channel)).toEqual(ranked);
  });
});
