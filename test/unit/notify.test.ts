import { describe, expect, it } from 'vitest';
import { noticeText } from '../../src/core/notice-text';
import { decideNotifications, INITIAL_NOTIFY_STATE, inQuietHours, type Notice } from '../../src/core/notify';
import { type Outage, outagesCsv, updateOutages } from '../../src/core/outages';
import type { MonitorState, Status } from '../../src/core/types';
import { MIN, serviceState, T, T0, t } from './helpers';
import { ONLY_HERE, play, SETTINGS, type Step } from './notify-play';

describe('decideNotifications', () => {
  it('sends one down notice naming the best fallback, none while it stays down, and one back with the duration', () => {
    expect(
      play([
        [0, { whatsapp: 'up', telegram: 'up', signal: 'up' }],
        [1, { whatsapp: 'down', telegram: 'up', signal: 'up' }],
        [2, { whatsapp: 'down', telegram: 'up', signal: 'up' }],
        [60, { whatsapp: 'down', telegram: 'up', signal: 'up' }],
        [124, { whatsapp: 'up', telegram: 'up', signal: 'up' }],
        [124.5, { whatsapp: 'up', telegram: 'up', signal: 'up' }],
      ]),
    ).toEqual(['2 down whatsapp →telegram', '124.5 back whatsapp 123min']);
  });

  it('waits for a second check to agree before announcing a change', () => {
    expect(
      play([
        [0, { whatsapp: 'down' }],
        [0.5, { whatsapp: 'up' }],
        [1.5, { whatsapp: 'up' }],
      ]),
    ).toEqual([]);
  });

  it('names the primary first in the one notice when several services go down in one check', () => {
    expect(
      play([
        [0, { telegram: 'down', whatsapp: 'down', signal: 'up' }],
        [0.5, { telegram: 'down', whatsapp: 'down', signal: 'up' }],
      ]),
    ).toEqual(['0.5 down whatsapp+telegram →signal']);
  });

  it('never notifies the user’s own offline state, before or after', () => {
    expect(
      play([
        [0, { whatsapp: 'up' }],
        [1, { whatsapp: 'unknown' }, 'offline'],
        [30, { whatsapp: 'unknown' }, 'offline'],
        [31, { whatsapp: 'up' }],
      ]),
    ).toEqual([]);
  });

  it('does not repeat a down notice when an offline spell interrupts one outage', () => {
    expect(
      play([
        [0, { whatsapp: 'down' }],
        [1, { whatsapp: 'down' }],
        [5, { whatsapp: 'unknown' }, 'offline'],
        [10, { whatsapp: 'down' }],
        [20, { whatsapp: 'up' }],
        [21, { whatsapp: 'up' }],
      ]),
    ).toEqual(['1 down whatsapp →telegram', '21 back whatsapp 20min']);
  });

  it('sends one "unstable" notice for a flapping hour, not a stream, and no down/back pairs', () => {
    // Checks 30 s apart see it flip each time; the third change raises the flag.
    const steps: Step[] = [
      [0, { whatsapp: 'up' }],
      [0.5, { whatsapp: 'down' }],
      [1, { whatsapp: 'up' }],
    ];
    for (let m = 1.5; m < 60; m += 0.5) steps.push([m, { whatsapp: m % 1 === 0 ? 'up~' : 'down~' }]);
    // Then up for good: flagged until the window drains, then not.
    for (let m = 60; m < 64; m += 0.5) steps.push([m, { whatsapp: 'up~' }]);
    steps.push([64, { whatsapp: 'up' }], [65, { whatsapp: 'up' }]);
    // The first change that did not hold while flagged (at 2) could be a relapse; the second is flapping.
    expect(play(steps)).toEqual(['3 unstable whatsapp']);
  });

  it('holds flapping runs shorter than the settle count back, however often they come', () => {
    const steps: Step[] = [[0, { whatsapp: 'up' }]];
    // Runs of settle − 1 checks each way, 30 s apart, for an hour.
    const run = T.flapSettleChecks - 1;
    for (let i = 1; i <= 120; i++) {
      steps.push([i / 2, { whatsapp: Math.floor((i - 1) / run) % 2 === 0 ? 'down~' : 'up~' }]);
    }
    expect(play(steps).map((n) => n.split(' ')[1])).toEqual(['unstable']);
  });

  it.each<[string, Step[], string[]]>([
    [
      // 3 checks down, 2 up, then down for good: the relapse is announced once it holds.
      `announces a relapse after a short recovery when it has held ${T.flapSettleChecks} checks, with no "unstable"`,
      [
        [0, { whatsapp: 'up' }],
        [1, { whatsapp: 'down' }],
        [1.5, { whatsapp: 'down' }],
        [2, { whatsapp: 'down' }],
        [2.5, { whatsapp: 'up' }],
        [3, { whatsapp: 'up' }],
        [4, { whatsapp: 'down~' }],
        [4.5, { whatsapp: 'down~' }],
        [5, { whatsapp: 'down~' }],
        [5.5, { whatsapp: 'down~' }],
        [6, { whatsapp: 'down~' }],
        [6.5, { whatsapp: 'down~' }],
        [7, { whatsapp: 'down' }],
        [60, { whatsapp: 'up' }],
        [60.5, { whatsapp: 'up' }],
      ],
      [
        '1.5 down whatsapp →telegram',
        '3 back whatsapp 1.5min',
        '6 down whatsapp →telegram',
        '60.5 back whatsapp 56min',
      ],
    ],
    [
      'keeps one outage when it came back for a single check: no "unstable", one back at the end',
      [
        [0, { whatsapp: 'up' }],
        [1, { whatsapp: 'down' }],
        [1.5, { whatsapp: 'down' }],
        [2, { whatsapp: 'up' }],
        [3, { whatsapp: 'down~' }],
        [3.5, { whatsapp: 'down~' }],
        [4, { whatsapp: 'down~' }],
        [4.5, { whatsapp: 'down~' }],
        [5, { whatsapp: 'down~' }],
        [5.5, { whatsapp: 'down~' }],
        [6, { whatsapp: 'down' }],
        [30, { whatsapp: 'up' }],
        [30.5, { whatsapp: 'up' }],
      ],
      ['1.5 down whatsapp →telegram', '30.5 back whatsapp 29min'],
    ],
    [
      'announces the state a flapping spell ends in: down, once the flag clears',
      [
        [0, { whatsapp: 'up' }],
        [0.5, { whatsapp: 'down' }],
        [1, { whatsapp: 'up' }],
        [1.5, { whatsapp: 'down~' }],
        [2, { whatsapp: 'up~' }],
        [2.5, { whatsapp: 'down~' }],
        [3, { whatsapp: 'up~' }],
        [3.5, { whatsapp: 'down~' }],
        [4, { whatsapp: 'down~' }],
        [4.5, { whatsapp: 'down~' }],
        [5, { whatsapp: 'down~' }],
        [5.5, { whatsapp: 'down~' }],
        [6, { whatsapp: 'down~' }],
        [6.5, { whatsapp: 'down' }],
      ],
      ['3 unstable whatsapp', '6.5 down whatsapp →telegram'],
    ],
    [
      'says "back" after a flapping spell only because a down was announced before it',
      [
        [0, { whatsapp: 'down' }],
        [0.5, { whatsapp: 'down' }],
        [1, { whatsapp: 'up' }],
        [1.5, { whatsapp: 'down~' }],
        [2, { whatsapp: 'up~' }],
        [2.5, { whatsapp: 'down~' }],
        [3, { whatsapp: 'up~' }],
        [5, { whatsapp: 'up~' }],
        [5.5, { whatsapp: 'up' }],
      ],
      ['0.5 down whatsapp →telegram', '2.5 unstable whatsapp', '5.5 back whatsapp 3min'],
    ],
    [
      'says nothing when a flapping spell ends up, if no down was announced',
      [
        [0, { whatsapp: 'up' }],
        [0.5, { whatsapp: 'down' }],
        [1, { whatsapp: 'up' }],
        [1.5, { whatsapp: 'down~' }],
        [2, { whatsapp: 'up~' }],
        [2.5, { whatsapp: 'down~' }],
        [3, { whatsapp: 'up~' }],
        [5, { whatsapp: 'up~' }],
        [5.5, { whatsapp: 'up' }],
        [6, { whatsapp: 'up' }],
      ],
      ['3 unstable whatsapp'],
    ],
  ])('%s', (_name, steps, expected) => {
    expect(play(steps)).toEqual(expected);
  });

  it('reminds while down only when asked, at most every 30 minutes', () => {
    const steps: Step[] = [];
    for (let m = 0; m <= 100; m += 5) steps.push([m, { whatsapp: 'down' }]);
    expect(play(steps)).toEqual(['5 down whatsapp →telegram']);
    expect(play(steps, { ...SETTINGS, reminderMinutes: 30 })).toEqual([
      '5 down whatsapp →telegram',
      '35 reminder whatsapp →telegram',
      '65 reminder whatsapp →telegram',
      '95 reminder whatsapp →telegram',
    ]);
    // Below the 30-minute floor means "off", never a stream.
    expect(play(steps, { ...SETTINGS, reminderMinutes: 5 })).toEqual(['5 down whatsapp →telegram']);
  });

  it('stays silent while snoozed, and does not announce a recovery it never announced the outage of', () => {
    const snoozed = { ...INITIAL_NOTIFY_STATE, snoozedUntil: T0 + 60 * MIN };
    expect(
      play(
        [
          [0, { whatsapp: 'down' }],
          [1, { whatsapp: 'down' }],
          [30, { whatsapp: 'up' }],
          [31, { whatsapp: 'up' }],
          [70, { whatsapp: 'down' }],
          [71, { whatsapp: 'down' }],
          [80, { whatsapp: 'up' }],
          [81, { whatsapp: 'up' }],
        ],
        SETTINGS,
        snoozed,
      ),
    ).toEqual(['71 down whatsapp →telegram', '81 back whatsapp 10min']);
  });

  it('respects quiet hours across midnight', () => {
    const quiet = { ...SETTINGS, quietHours: { start: 22 * 60, end: 7 * 60 } };
    // The timeline starts at 23:00 local.
    expect(
      play(
        [
          [0, { whatsapp: 'down' }],
          [1, { whatsapp: 'down' }],
          [60, { whatsapp: 'up' }],
          [61, { whatsapp: 'up' }],
          [9 * 60, { whatsapp: 'down' }],
          [9 * 60 + 1, { whatsapp: 'down' }],
        ],
        quiet,
        INITIAL_NOTIFY_STATE,
        23 * 60,
      ),
    ).toEqual(['541 down whatsapp →telegram']);
  });

  it('sends nothing with notifications off', () => {
    const steps: Step[] = [
      [0, { whatsapp: 'down' }],
      [1, { whatsapp: 'down' }],
      [5, { whatsapp: 'up' }],
      [6, { whatsapp: 'up' }],
    ];
    expect(play(steps, { ...SETTINGS, enabled: false })).toEqual([]);
  });

  describe('failing only from this network while others reach it', () => {
    it.each<[string, Step[], string[]]>([
      [
        'one distinct notice, once two checks agree, and no "back" when it answers again',
        [
          [0, { whatsapp: 'up' }],
          [1, { whatsapp: 'local' }],
          [2, { whatsapp: 'local' }],
          [3, { whatsapp: 'local' }],
          [60, { whatsapp: 'local' }],
          [61, { whatsapp: 'up' }],
          [62, { whatsapp: 'up' }],
        ],
        ['2 local whatsapp'],
      ],
      [
        'never "down" for it, and a second episode gets its own notice',
        [
          [0, { whatsapp: 'local' }],
          [1, { whatsapp: 'local' }],
          [5, { whatsapp: 'up' }],
          [6, { whatsapp: 'up' }],
          [30, { whatsapp: 'local' }],
          [31, { whatsapp: 'local' }],
        ],
        ['1 local whatsapp', '31 local whatsapp'],
      ],
      [
        'a single check that fails only here is not worth a notice',
        [
          [0, { whatsapp: 'up' }],
          [1, { whatsapp: 'local' }],
          [2, { whatsapp: 'up' }],
        ],
        [],
      ],
      [
        'when others stop reaching it too, it is down (and back after)',
        [
          [0, { whatsapp: 'local' }],
          [1, { whatsapp: 'local' }],
          [5, { whatsapp: 'down' }],
          [6, { whatsapp: 'down' }],
          [20, { whatsapp: 'up' }],
          [21, { whatsapp: 'up' }],
        ],
        ['1 local whatsapp', '6 down whatsapp →telegram', '21 back whatsapp 15min'],
      ],
      [
        'an announced outage that turns out to be only here: told so, and "back" still comes',
        [
          [0, { whatsapp: 'down' }],
          [1, { whatsapp: 'down' }],
          [5, { whatsapp: 'local' }],
          [6, { whatsapp: 'local' }],
          [20, { whatsapp: 'up' }],
          [21, { whatsapp: 'up' }],
        ],
        ['1 down whatsapp →telegram', '6 local whatsapp', '21 back whatsapp 20min'],
      ],
      [
        'one "unstable" notice for flapping in and out of it, no stream of local notices',
        [
          [0, { whatsapp: 'up' }],
          [1, { whatsapp: 'local~' }],
          [2, { whatsapp: 'up~' }],
          [3, { whatsapp: 'local~' }],
          [4, { whatsapp: 'up~' }],
          [5, { whatsapp: 'local~' }],
          [6, { whatsapp: 'up~' }],
        ],
        ['4 unstable whatsapp'],
      ],
    ])('%s', (_name, steps, expected) => {
      expect(play(steps)).toEqual(expected);
    });

    it('stays silent in quiet hours, and does not tell it later', () => {
      const quiet = { ...SETTINGS, quietHours: { start: 22 * 60, end: 7 * 60 } };
      const steps: Step[] = [
        [0, { whatsapp: 'local' }],
        [1, { whatsapp: 'local' }],
        [9 * 60, { whatsapp: 'local' }],
        [9 * 60 + 1, { whatsapp: 'up' }],
        [9 * 60 + 2, { whatsapp: 'up' }],
      ];
      expect(play(steps, quiet, INITIAL_NOTIFY_STATE, 23 * 60)).toEqual([]);
    });

    it('carries how many networks reach it', () => {
      const state: MonitorState = {
        connectivity: 'online',
        connectivityReasons: [],
        checkedAt: T0,
        services: { whatsapp: serviceState({ status: 'degraded', cause: 'local', scope: ONLY_HERE }) },
      };
      let notify = INITIAL_NOTIFY_STATE;
      const notices: Notice[] = [];
      for (const now of [T0, T0 + MIN]) {
        const r = decideNotifications(state, notify, SETTINGS, now, 12 * 60, T);
        notify = r.notify;
        notices.push(...r.notices);
      }
      expect(notices).toEqual([
        {
          kind: 'local',
          id: `local-whatsapp-${state.services.whatsapp?.since}`,
          service: 'whatsapp',
          services: ['whatsapp'],
          since: state.services.whatsapp?.since,
          durationMs: 0,
          fallback: null,
          othersUp: 120,
        },
      ]);
    });
  });

  it.each([
    [null, 600, false],
    [{ start: 22 * 60, end: 7 * 60 }, 23 * 60, true],
    [{ start: 22 * 60, end: 7 * 60 }, 6 * 60, true],
    [{ start: 22 * 60, end: 7 * 60 }, 12 * 60, false],
    [{ start: 13 * 60, end: 14 * 60 }, 13 * 60 + 30, true],
    [{ start: 13 * 60, end: 13 * 60 }, 13 * 60, false],
  ])('quiet hours %j at minute %i → %s', (quiet, minute, expected) => {
    expect(inQuietHours(quiet, minute)).toBe(expected);
  });
});

describe('notification text', () => {
  const notice: Notice = {
    kind: 'back',
    id: 'back-whatsapp-0',
    service: 'whatsapp',
    services: ['whatsapp'],
    since: T0,
    durationMs: 123 * MIN,
    fallback: null,
  };
  it.each<[Notice, string, string, string | null]>([
    [notice, 'WhatsApp is back', 'It was down for 2 h 3 min.', null],
    [
      { ...notice, kind: 'down', durationMs: 0, fallback: 'telegram' },
      'WhatsApp is down',
      'Your connection works. Reach people on Telegram instead.',
      'https://web.telegram.org/',
    ],
    [
      { ...notice, kind: 'down', fallback: 'phone' },
      'WhatsApp is down',
      'Your connection works. Reach people on Phone instead.',
      'tel:',
    ],
    [
      { ...notice, kind: 'down', fallback: null },
      'WhatsApp is down',
      'Your connection works: the problem is on WhatsApp’s side.',
      null,
    ],
    [
      { ...notice, kind: 'local', othersUp: 120 },
      'Can’t reach WhatsApp from your network',
      'Other browsers can (120 networks). Check your Wi-Fi, firewall or VPN.',
      null,
    ],
    [
      { ...notice, kind: 'unstable' },
      'WhatsApp is unstable',
      'It keeps going up and down. Detour will not alert you at every change.',
      null,
    ],
  ])('%j', (n, title, message, url) => {
    expect(noticeText(n, t, 'en', [])).toMatchObject({ title, message, openUrl: url });
  });
});

describe('outage history', () => {
  const at = (status: Status, since: number, codes: string[] = ['attemptsFailed']): MonitorState => ({
    connectivity: 'online',
    connectivityReasons: [],
    checkedAt: since,
    services: {
      whatsapp: serviceState({ status, since, reasons: codes.map((code) => ({ code }) as never) }),
    },
  });

  it('records start, end and the signals that saw it', () => {
    let log = updateOutages([], at('down', T0), T0);
    log = updateOutages(log, at('down', T0, ['attemptsFailed', 'officialMajor']), T0 + 5 * MIN);
    log = updateOutages(log, at('up', T0 + 123 * MIN), T0 + 123 * MIN);
    expect(log).toEqual([
      { service: 'whatsapp', start: T0, end: T0 + 123 * MIN, signals: ['probes', 'official'] },
    ]);
  });

  it('keeps the down spells of a flapping service in one outage, ended when it is up and stable', () => {
    const at = (status: Status, unstable: boolean, since: number): MonitorState => ({
      connectivity: 'online',
      connectivityReasons: [],
      checkedAt: since,
      services: {
        whatsapp: serviceState({ status, since, unstable, reasons: [{ code: 'attemptsFailed' }] }),
      },
    });
    let log = updateOutages([], at('down', false, T0), T0);
    log = updateOutages(log, at('up', true, T0 + MIN), T0 + MIN);
    log = updateOutages(log, at('down', true, T0 + 2 * MIN), T0 + 2 * MIN);
    log = updateOutages(log, at('up', true, T0 + 3 * MIN), T0 + 3 * MIN);
    expect(log).toEqual([{ service: 'whatsapp', start: T0, end: null, signals: ['probes'] }]);
    log = updateOutages(log, at('up', false, T0 + 3 * MIN), T0 + 8 * MIN);
    expect(log).toEqual([{ service: 'whatsapp', start: T0, end: T0 + 3 * MIN, signals: ['probes'] }]);
  });

  it('keeps at most 500 entries and 90 days', () => {
    let log: Outage[] = Array.from({ length: 600 }, (_, i) => ({
      service: 'telegram',
      start: T0 - i * MIN,
      end: T0 - i * MIN + 1,
      signals: [],
    }));
    log = updateOutages(log, at('up', T0), T0);
    expect(log.length).toBe(500);
    expect(updateOutages([{ service: 'telegram', start: 0, end: 1, signals: [] }], at('up', T0), T0)).toEqual(
      [],
    );
  });

  it('exports CSV that a spreadsheet cannot mistake for formulas', () => {
    const csv = outagesCsv([
      { service: 'whatsapp', start: T0, end: T0 + 123 * MIN, signals: ['probes', '=cmd'] },
    ]);
    expect(csv).toBe(
      'service,start,end,duration_minutes,signals\r\nwhatsapp,2026-11-23T14:02:00.000Z,2026-11-23T16:05:00.000Z,123,probes =cmd\r\n',
    );
    expect(outagesCsv([{ service: 'whatsapp', start: T0, end: null, signals: ['=x'] }])).toContain(",,,'=x");
  });
});
