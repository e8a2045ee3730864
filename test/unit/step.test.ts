// The one check step: previous record, observations, time and settings in; the next record, notices,
// next delay and badge out. The background, `npm run check` and the bench all run it.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../src/core/settings';
import { CHECK_STUCK_MS, snapshotOf } from '../../src/core/snapshot';
import { type CheckRecord, INITIAL_RECORD, type Observations, step } from '../../src/core/step';
import type { Attempt, ConnectivityObservation } from '../../src/core/types';
import { confirmedFailure, MIN, ok, T, T0, t } from './helpers';

const settings: Settings = { ...DEFAULT_SETTINGS, watched: ['whatsapp', 'telegram', 'signal'] };
const ONLINE: ConnectivityObservation = {
  onLine: true,
  controls: [
    { id: 'a', reachable: true },
    { id: 'b', reachable: true },
  ],
  portal: 'unchecked',
};
const OFFLINE: ConnectivityObservation = { onLine: false, controls: [], portal: 'unchecked' };

function observed(
  attempts: Partial<Record<'whatsapp' | 'telegram' | 'signal', Attempt[]>>,
  connectivity = ONLINE,
): Observations {
  return {
    probes: settings.watched.map((service) => ({
      service,
      attempts: attempts[service as 'whatsapp'] ?? [ok],
    })),
    connectivity,
    official: { reports: [], cache: {} },
    crowd: { signals: {}, cache: null },
  };
}

const run = (record: CheckRecord, observations: Observations, now = T0, s: Settings = settings) =>
  step({
    record,
    observations,
    settings: s,
    now,
    localMinutes: 600,
    thresholds: T,
    wording: { t, locale: 'en' },
  });

describe('step', () => {
  it.each<[string, Observations, { badge: string; next: number; notices: string[]; title: RegExp }]>([
    [
      'everything answers: quiet badge, next check after the interval, nothing to say',
      observed({}),
      { badge: 'quiet', next: settings.checkIntervalSeconds, notices: [], title: /^WhatsApp: up/ },
    ],
    [
      'the main app fails: red at once, checked again soon (the notice waits for the next check to agree)',
      observed({ whatsapp: confirmedFailure() }),
      {
        badge: 'primary-down',
        next: T.suspectRecheckSeconds,
        notices: [],
        title: /^WhatsApp: down/,
      },
    ],
    [
      'another app fails: amber',
      observed({ telegram: confirmedFailure() }),
      {
        badge: 'other-down',
        next: T.suspectRecheckSeconds,
        notices: [],
        title: /Telegram: down/,
      },
    ],
    [
      'the user is offline: grey, nothing about the apps',
      observed({}, OFFLINE),
      { badge: 'offline', next: T.suspectRecheckSeconds, notices: [], title: /offline/ },
    ],
  ])('%s', (_name, observations, expected) => {
    // A first check that found everything up, then the one under test a minute later.
    const first = run(INITIAL_RECORD, observed({}), T0 - MIN).record;
    const result = run(first, observations);
    expect(result.badge.kind).toBe(expected.badge);
    expect(result.badge.title).toMatch(expected.title);
    expect(result.nextDelaySeconds).toBe(expected.next);
    expect(result.notices.map((n) => `${n.kind} ${n.service}`)).toEqual(expected.notices);
  });

  it('announces an outage once two checks in a row agree, once', () => {
    const up = run(INITIAL_RECORD, observed({}), T0 - MIN).record;
    const failing = observed({ whatsapp: confirmedFailure() });
    const first = run(up, failing, T0);
    const second = run(first.record, failing, T0 + 30_000);
    const third = run(second.record, failing, T0 + 60_000);
    expect([first, second, third].map((r) => r.notices.map((n) => `${n.kind} ${n.service}`))).toEqual([
      [],
      ['down whatsapp'],
      [],
    ]);
  });

  it('keeps everything a check remembers: state, history, outages, notification state, caches', () => {
    const first = run(INITIAL_RECORD, observed({}), T0 - MIN).record;
    const { record } = run(first, observed({ whatsapp: confirmedFailure() }));
    expect(record.state.checkedAt).toBe(T0);
    expect(record.state.services.whatsapp?.status).toBe('down');
    expect(record.history.whatsapp?.length).toBeGreaterThan(0);
    expect(record.outages).toEqual([expect.objectContaining({ service: 'whatsapp', start: T0, end: null })]);
    expect(record.notify.services.whatsapp).toBeDefined();
    expect(record.officialCache).toEqual({});
    expect(record.crowdCache).toBeNull();
  });

  it('is a function of its arguments: the same input gives the same output', () => {
    const input = observed({ whatsapp: confirmedFailure() });
    expect(run(INITIAL_RECORD, input)).toEqual(run(INITIAL_RECORD, input));
  });
});

describe('snapshot (what pages paint from storage)', () => {
  const view = {
    settings,
    state: INITIAL_RECORD.state,
    history: {},
    outages: [],
    crowdCache: null,
    snoozedUntil: null,
    checking: null,
  };

  it.each<[string, number | null, boolean]>([
    ['no check running', null, false],
    ['a check running for 5 s', T0 - 5000, true],
    ['a check cut off longer ago than a check can last', T0 - CHECK_STUCK_MS, false],
    ['a mark from the future (a clock set back)', T0 + 5000, false],
  ])('%s: checking is %s', (_name, since, checking) => {
    const s = snapshotOf({ ...view, checking: since === null ? null : { since } }, T0, T);
    expect(s.checking).toBe(checking);
  });

  it('shows a pause only while it lasts', () => {
    expect(snapshotOf({ ...view, snoozedUntil: T0 + MIN }, T0, T).snoozedUntil).toBe(T0 + MIN);
    expect(snapshotOf({ ...view, snoozedUntil: T0 - MIN }, T0, T).snoozedUntil).toBeNull();
  });
});
