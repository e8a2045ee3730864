import { describe, expect, it } from 'vitest';
import { noticeText } from '../../src/core/notice-text';
import { INITIAL_NOTIFY_STATE, type NotifySettings } from '../../src/core/notify';
import type { ServiceId } from '../../src/core/services';
import { MIN, T0, t } from './helpers';
import { play, playNotices, SETTINGS, type Step } from './notify-play';

const WATCH: NotifySettings = {
  ...SETTINGS,
  watched: ['whatsapp', 'messenger', 'instagram', 'telegram', 'discord', 'slack'],
};
type Seen = Step[1];
const META_DOWN: Seen = { whatsapp: 'down', messenger: 'down', instagram: 'down', telegram: 'up' };
const ALL_UP: Seen = { whatsapp: 'up', messenger: 'up', instagram: 'up', telegram: 'up' };
const some = (down: readonly ServiceId[]): Seen =>
  Object.fromEntries(Object.keys(ALL_UP).map((id) => [id, down.includes(id as ServiceId) ? 'down' : 'up']));

describe('one alert per outage', () => {
  it.each<[string, Step[], NotifySettings, string[]]>([
    [
      'all of Meta in one check: one down naming the three, one back with the whole length',
      [
        [0, ALL_UP],
        [1, META_DOWN],
        [1.5, META_DOWN],
        [60, ALL_UP],
        [60.5, ALL_UP],
      ],
      WATCH,
      ['1.5 down whatsapp+messenger+instagram →telegram', '60.5 back whatsapp+messenger+instagram 59min'],
    ],
    [
      'apps confirmed a few checks apart join the notice already shown',
      [
        [1, some(['whatsapp'])],
        [1.5, some(['whatsapp'])],
        [3, some(['whatsapp', 'instagram'])],
        [3.5, some(['whatsapp', 'instagram'])],
        [4, META_DOWN],
        [4.5, META_DOWN],
        [30, ALL_UP],
        [30.5, ALL_UP],
      ],
      WATCH,
      [
        '1.5 down whatsapp →telegram',
        '3.5 down whatsapp+instagram →telegram',
        '4.5 down whatsapp+instagram+messenger →telegram',
        '30.5 back whatsapp+instagram+messenger 29min',
      ],
    ],
    [
      'an app failing after the join window is an outage of its own',
      [
        [1, some(['whatsapp'])],
        [1.5, some(['whatsapp'])],
        [20, some(['whatsapp', 'instagram'])],
        [20.5, some(['whatsapp', 'instagram'])],
        [40, some(['instagram'])],
        [40.5, some(['instagram'])],
        [50, ALL_UP],
        [50.5, ALL_UP],
      ],
      WATCH,
      [
        '1.5 down whatsapp →telegram',
        '20.5 down instagram →telegram',
        '40.5 back whatsapp 39min',
        '50.5 back instagram 30min',
      ],
    ],
    [
      'partial recovery is quiet: the back comes with the last app, naming them all',
      [
        [1, META_DOWN],
        [1.5, META_DOWN],
        [10, some(['messenger', 'instagram'])],
        [10.5, some(['messenger', 'instagram'])],
        [25, some(['instagram'])],
        [25.5, some(['instagram'])],
        [40, ALL_UP],
        [40.5, ALL_UP],
      ],
      WATCH,
      ['1.5 down whatsapp+messenger+instagram →telegram', '40.5 back whatsapp+messenger+instagram 39min'],
    ],
    [
      'an app back and down again within the outage is named again in its notice',
      [
        [1, some(['whatsapp', 'messenger'])],
        [1.5, some(['whatsapp', 'messenger'])],
        [3, some(['messenger'])],
        [3.5, some(['messenger'])],
        [6, some(['whatsapp', 'messenger'])],
        [6.5, some(['whatsapp', 'messenger'])],
        [30, ALL_UP],
        [30.5, ALL_UP],
      ],
      WATCH,
      [
        '1.5 down whatsapp+messenger →telegram',
        '6.5 down messenger+whatsapp →telegram',
        '30.5 back messenger+whatsapp 29min',
      ],
    ],
    [
      'apps of different providers failing at once (a cloud outage) come as one alert',
      [
        [1, { whatsapp: 'down', discord: 'down', slack: 'down', telegram: 'up' }],
        [1.5, { whatsapp: 'down', discord: 'down', slack: 'down', telegram: 'up' }],
        [9, { whatsapp: 'up', discord: 'up', slack: 'up', telegram: 'up' }],
        [9.5, { whatsapp: 'up', discord: 'up', slack: 'up', telegram: 'up' }],
      ],
      WATCH,
      ['1.5 down whatsapp+discord+slack →telegram', '9.5 back whatsapp+discord+slack 8min'],
    ],
    [
      'one reminder per outage, naming the apps still down',
      [
        [1, META_DOWN],
        [1.5, META_DOWN],
        [20, some(['messenger', 'instagram'])],
        [20.5, some(['messenger', 'instagram'])],
        [31.5, some(['messenger', 'instagram'])],
        [40, ALL_UP],
        [40.5, ALL_UP],
      ],
      { ...WATCH, reminderMinutes: 30 },
      [
        '1.5 down whatsapp+messenger+instagram →telegram',
        '31.5 reminder messenger+instagram →telegram',
        '40.5 back whatsapp+messenger+instagram 39min',
      ],
    ],
    [
      'apps that joined apart still get one reminder per period, not one each',
      [
        [1, some(['whatsapp'])],
        [1.5, some(['whatsapp'])],
        [4, some(['whatsapp', 'messenger'])],
        [4.5, some(['whatsapp', 'messenger'])],
        [31.5, some(['whatsapp', 'messenger'])],
        [34.5, some(['whatsapp', 'messenger'])],
        [64.5, some(['whatsapp', 'messenger'])],
      ],
      { ...WATCH, reminderMinutes: 30 },
      [
        '1.5 down whatsapp →telegram',
        '4.5 down whatsapp+messenger →telegram',
        '34.5 reminder whatsapp+messenger →telegram',
        '64.5 reminder whatsapp+messenger →telegram',
      ],
    ],
    [
      'quiet hours over the whole outage: nothing, and no back for a down never told',
      [
        [1, META_DOWN],
        [1.5, META_DOWN],
        [30, ALL_UP],
        [30.5, ALL_UP],
      ],
      { ...WATCH, quietHours: { start: 0, end: 23 * 60 } },
      [],
    ],
    [
      'an outage told before quiet hours ends in them without a back',
      [
        [1, META_DOWN],
        [1.5, META_DOWN],
        [30, ALL_UP],
        [30.5, ALL_UP],
      ],
      { ...WATCH, quietHours: { start: 12 * 60 + 10, end: 13 * 60 } },
      ['1.5 down whatsapp+messenger+instagram →telegram'],
    ],
    [
      'flapping apps of one provider: no down/back pairs, one "unstable" each',
      [
        [0, { whatsapp: 'down~', messenger: 'down~' }],
        [0.5, { whatsapp: 'up~', messenger: 'up~' }],
        [1, { whatsapp: 'down~', messenger: 'down~' }],
        [1.5, { whatsapp: 'up~', messenger: 'up~' }],
        [2, { whatsapp: 'up~', messenger: 'up~' }],
      ],
      WATCH,
      ['1.5 unstable whatsapp', '1.5 unstable messenger'],
    ],
  ])('%s', (_name, steps, settings, expected) => {
    expect(play(steps, settings)).toEqual(expected);
  });

  it.each<[string, Step[]]>([
    [
      'updates the shown notice in place: a joining app keeps the notification id, the back has its own',
      [
        [1, some(['whatsapp'])],
        [1.5, some(['whatsapp'])],
        [3, some(['whatsapp', 'instagram'])],
        [3.5, some(['whatsapp', 'instagram'])],
        [30, ALL_UP],
        [30.5, ALL_UP],
      ],
    ],
    [
      'keeps one notification when its first app comes back and fails again while the outage goes on',
      [
        [1, some(['whatsapp', 'instagram'])],
        [1.5, some(['whatsapp', 'instagram'])],
        [3, some(['instagram'])],
        [3.5, some(['instagram'])],
        [5, some(['whatsapp', 'instagram'])],
        [5.5, some(['whatsapp', 'instagram'])],
        [30, ALL_UP],
        [30.5, ALL_UP],
      ],
    ],
  ])('%s', (_name, steps) => {
    const since = T0 + MIN;
    expect(playNotices(steps, WATCH).notices.map((n) => n.id)).toEqual([
      `down-whatsapp-${since}`,
      `down-whatsapp-${since}`,
      `back-whatsapp-${since}`,
    ]);
  });

  it('a pause (snooze) over the outage sends nothing', () => {
    const snoozed = { ...INITIAL_NOTIFY_STATE, snoozedUntil: T0 + 60 * MIN };
    expect(
      play(
        [
          [1, META_DOWN],
          [1.5, META_DOWN],
          [30, ALL_UP],
          [30.5, ALL_UP],
        ],
        WATCH,
        snoozed,
      ),
    ).toEqual([]);
  });

  it('keeps at most a few outages in storage, dropping each one as it ends', () => {
    const { notify } = playNotices(
      [
        [1, META_DOWN],
        [1.5, META_DOWN],
        [30, ALL_UP],
        [30.5, ALL_UP],
      ],
      WATCH,
    );
    expect(notify.groups).toEqual([]);
  });
});

describe('alert on down, back or both', () => {
  const outage: Step[] = [
    [1, META_DOWN],
    [1.5, META_DOWN],
    [30, ALL_UP],
    [30.5, ALL_UP],
  ];
  it.each<[NotifySettings['alertOn'], string[]]>([
    [
      'both',
      ['1.5 down whatsapp+messenger+instagram →telegram', '30.5 back whatsapp+messenger+instagram 29min'],
    ],
    ['down', ['1.5 down whatsapp+messenger+instagram →telegram']],
    // The down was decided (kept quiet): its back still comes.
    ['back', ['30.5 back whatsapp+messenger+instagram 29min']],
  ])('alertOn %s', (alertOn, expected) => {
    expect(play(outage, { ...WATCH, alertOn })).toEqual(expected);
  });

  it('"back" sends no reminders and no "unstable"', () => {
    const flap: Step[] = [
      [0, { whatsapp: 'down~' }],
      [0.5, { whatsapp: 'up~' }],
      [1, { whatsapp: 'down~' }],
      [1.5, { whatsapp: 'up~' }],
    ];
    expect(play(flap, { ...WATCH, alertOn: 'back' })).toEqual([]);
    const long: Step[] = [
      [1, META_DOWN],
      [1.5, META_DOWN],
      [40, META_DOWN],
    ];
    expect(play(long, { ...WATCH, alertOn: 'back', reminderMinutes: 30 })).toEqual([]);
  });
});

describe('muted apps', () => {
  const INSTA: readonly ServiceId[] = ['instagram'];
  it.each<[string, Step[], string[]]>([
    [
      'a muted app is left out of its outage’s notices',
      [
        [1, META_DOWN, 'online', INSTA],
        [1.5, META_DOWN, 'online', INSTA],
        [30, ALL_UP, 'online', INSTA],
        [30.5, ALL_UP, 'online', INSTA],
      ],
      ['1.5 down whatsapp+messenger →telegram', '30.5 back whatsapp+messenger 29min'],
    ],
    [
      'a muted app alone down sends nothing, down or back',
      [
        [1, some(['instagram']), 'online', INSTA],
        [1.5, some(['instagram']), 'online', INSTA],
        [30, ALL_UP, 'online', INSTA],
        [30.5, ALL_UP, 'online', INSTA],
      ],
      [],
    ],
    [
      'muting the last app still down ends the outage quietly',
      [
        [1, META_DOWN],
        [1.5, META_DOWN],
        [10, some(['instagram'])],
        [10.5, some(['instagram'])],
        [11, some(['instagram']), 'online', INSTA],
        [30, ALL_UP, 'online', INSTA],
        [30.5, ALL_UP, 'online', INSTA],
      ],
      ['1.5 down whatsapp+messenger+instagram →telegram'],
    ],
    [
      'once the mute is over the app alerts again (a new outage)',
      [
        [1, some(['instagram']), 'online', INSTA],
        [1.5, some(['instagram']), 'online', INSTA],
        [5, ALL_UP],
        [5.5, ALL_UP],
        [90, some(['instagram'])],
        [90.5, some(['instagram'])],
      ],
      ['90.5 down instagram →telegram'],
    ],
  ])('%s', (_name, steps, expected) => {
    expect(play(steps, WATCH)).toEqual(expected);
  });
});

describe('the words of a grouped notice', () => {
  const base = { id: 'x', since: T0, durationMs: 59 * MIN, fallback: null } as const;
  it.each<[string, Parameters<typeof noticeText>[0], string, string]>([
    [
      'one provider',
      {
        ...base,
        kind: 'down',
        service: 'whatsapp',
        services: ['whatsapp', 'messenger', 'instagram'],
        fallback: 'telegram',
      },
      'Meta’s apps are down: WhatsApp, Messenger, Instagram',
      'Your connection works. Reach people on Telegram instead.',
    ],
    [
      'several providers',
      { ...base, kind: 'down', service: 'whatsapp', services: ['whatsapp', 'discord'], fallback: 'telegram' },
      '2 apps are down: WhatsApp, Discord',
      'Your connection works. Reach people on Telegram instead.',
    ],
    [
      'back, one provider',
      { ...base, kind: 'back', service: 'whatsapp', services: ['whatsapp', 'messenger', 'instagram'] },
      'Meta’s apps are back: WhatsApp, Messenger, Instagram',
      'They were down for 59 min.',
    ],
    [
      'back, several providers',
      { ...base, kind: 'back', service: 'whatsapp', services: ['whatsapp', 'slack'] },
      '2 apps are back: WhatsApp, Slack',
      'They were down for 59 min.',
    ],
    [
      'reminder',
      {
        ...base,
        kind: 'reminder',
        service: 'whatsapp',
        services: ['whatsapp', 'instagram'],
        fallback: 'telegram',
      },
      'Meta’s apps are still down: WhatsApp, Instagram',
      'Down for 59 min so far.',
    ],
  ])('%s', (_name, notice, title, message) => {
    const text = noticeText(notice, t, 'en', []);
    expect(text.title).toBe(title);
    expect(text.message).toBe(message);
  });
});
