// The one check step: previous record, observations, time and settings in; the next record, notices,
// next delay and badge out. The background, `npm run check` and the bench all run it.
import { describe, expect, it } from 'vitest';
import { muteFor } from '../../src/core/mutes';
import { INITIAL_OBSERVE_STATE, type Observer, observationSent } from '../../src/core/observe';
import { DEFAULT_SETTINGS, type Settings } from '../../src/core/settings';
import { CHECK_STUCK_MS, snapshotOf } from '../../src/core/snapshot';
import { type CheckRecord, INITIAL_RECORD, type Observations, step } from '../../src/core/step';
import type { Attempt, ConnectivityObservation } from '../../src/core/types';
import { CONNECTED, confirmedFailure, MIN, ok, T, T0, t } from './helpers';

const settings: Settings = { ...DEFAULT_SETTINGS, watched: ['whatsapp', 'telegram', 'signal'] };
const OFFLINE: ConnectivityObservation = { onLine: false, controls: [], portal: 'unchecked' };

function observed(
  attempts: Partial<Record<'whatsapp' | 'telegram' | 'signal', Attempt[]>>,
  connectivity = CONNECTED,
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

const inputOf = (record: CheckRecord, observations: Observations, now: number) => ({
  record,
  observations,
  settings,
  now,
  localMinutes: 600,
  thresholds: T,
  wording: { t, locale: 'en' },
  observer: null,
  jitter: 0.5,
});

const run = (
  record: CheckRecord,
  observations: Observations,
  now = T0,
  s: Settings = settings,
  observer: Observer | null = null,
  jitter = 0.5,
) => step({ ...inputOf(record, observations, now), settings: s, observer, jitter });

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

  it('reads the mutes as input: a muted app sends nothing and leaves the badge, until the mute ends', () => {
    const up = run(INITIAL_RECORD, observed({}), T0 - MIN).record;
    const failing = observed({ telegram: confirmedFailure() });
    const mutes = { telegram: muteFor('1h', T0 - MIN) };
    const muted = (record: CheckRecord, now: number) => step({ ...inputOf(record, failing, now), mutes });
    const first = muted(up, T0);
    const second = muted(first.record, T0 + 30_000);
    expect([first.badge.kind, second.badge.kind]).toEqual(['quiet', 'quiet']);
    expect(second.notices).toEqual([]);
    // An hour after it began the mute is over: the badge shows it again (the outage was not announced).
    const later = muted(second.record, T0 + 60 * MIN);
    expect(later.badge.kind).toBe('other-down');
    expect(later.record.state.services.telegram?.status).toBe('down');
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
    expect(record.observe).toEqual(INITIAL_OBSERVE_STATE);
  });

  it('is a function of its arguments: the same input gives the same output', () => {
    const input = observed({ whatsapp: confirmedFailure() });
    expect(run(INITIAL_RECORD, input)).toEqual(run(INITIAL_RECORD, input));
  });
});

describe('step: observations (src/core/observe.ts, planned inside the one step)', () => {
  const sharing: Settings = { ...settings, feedUrl: 'https://feed.example.org', shareObservations: true };
  const observer: Observer = { client: 'k3J9x0Qe-7YpLm2Z0123ab', country: 'IT', sampleDraw: 0.2 };
  /** A check a minute earlier that found everything up, its observation (if any) accepted by the feed. */
  const up = (s: Settings): CheckRecord => {
    const { record, observation } = run(INITIAL_RECORD, observed({}), T0 - MIN, s, observer, 0);
    if (!observation) return record;
    const url = 'https://feed.example.org/v1/observations';
    return {
      ...record,
      observe: observationSent(record.observe, url, observation, { kind: 'accepted' }, T0 - MIN),
    };
  };

  it('plans nothing for a caller that shares nothing, or while sharing is off (the default)', () => {
    for (const [s, who] of [
      [sharing, null],
      [settings, observer],
    ] as const) {
      const result = run(up(s), observed({ whatsapp: confirmedFailure() }), T0, s, who);
      expect(result.observation).toBeNull();
      expect(result.wakeAt).toBeNull();
      expect(result.record.observe).toEqual(INITIAL_OBSERVE_STATE);
    }
  });

  it('posts what the probes saw, once its random wait is over (no wait: at once)', () => {
    const result = run(INITIAL_RECORD, observed({ whatsapp: confirmedFailure() }), T0, sharing, observer, 0);
    expect(result.observation).toEqual({
      client: observer.client,
      country: 'IT',
      services: { whatsapp: 'down', telegram: 'up', signal: 'up' },
    });
    expect(result.record.observe.pending?.due).toBe(T0);
  });

  it('asks for a wake-up when the wait ends before the next check, and leaves a later one to that check', () => {
    // Suspect (down): next check in 30 s. A wait of 0.25 × 60 s ends first; 0.75 × 60 s after it.
    const soon = run(up(sharing), observed({ whatsapp: confirmedFailure() }), T0, sharing, observer, 0.25);
    expect(soon.nextDelaySeconds).toBe(30);
    expect(soon.observation).toBeNull();
    expect(soon.wakeAt).toBe(T0 + 15_000);
    const late = run(up(sharing), observed({ whatsapp: confirmedFailure() }), T0, sharing, observer, 0.75);
    expect(late.wakeAt).toBeNull();
    expect(late.record.observe.pending?.due).toBe(T0 + 45_000);
  });

  it('does not count its own earlier "up" among the networks that reach the app', () => {
    // Two other networks and this one reached WhatsApp a minute ago; now it fails here, and the feed
    // (read before its change lands) still says 3 up: 2 others are too few to blame this network.
    const probes = { down: 0, up: 3, countries: {}, scope: 'none' as const };
    const withProbes = (o: Observations): Observations => ({
      ...o,
      crowd: {
        ...o.crowd,
        signals: { whatsapp: { level: 'normal', recent: 0, baseline: 0, problem: null, probes } },
      },
    });
    const failing = withProbes(observed({ whatsapp: confirmedFailure() }));
    const shared = run(up(sharing), failing, T0, sharing, observer, 0).record.state.services.whatsapp;
    expect(shared).toMatchObject({ status: 'down', scope: { kind: 'unknown', down: 1, total: 3 } });
    // A browser that shares nothing is not in the feed's counts: 3 others reach it, only its network fails.
    const alone = run(up(settings), failing, T0, settings, null, 0).record.state.services.whatsapp;
    expect(alone).toMatchObject({
      status: 'degraded',
      cause: 'local',
      scope: { kind: 'network', down: 0, total: 3 },
    });
  });

  it('uses the sampling hints of the feed just read', () => {
    const hints = { sample: 0.1, spreadSeconds: 60 };
    const feed = {
      version: 1 as const,
      generatedAt: '2026-11-23T14:00:00Z',
      bucketMinutes: 15,
      services: {},
    };
    const withFeed = (o: Observations): Observations => ({
      ...o,
      crowd: {
        signals: {},
        cache: { url: 'x', etag: null, fetchedAt: T0, feed: { ...feed, observe: hints }, problem: null },
      },
    });
    // sampleDraw 0.2 is outside a 10 % sample: nothing is planned.
    const result = run(INITIAL_RECORD, withFeed(observed({})), T0, sharing, observer, 0);
    expect(result.observation).toBeNull();
    expect(result.record.observe.pending).toBeNull();
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
    mutes: {},
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
