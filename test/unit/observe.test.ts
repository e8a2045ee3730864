// What an opted-in browser tells the feed, and when: the pure planner (src/core/observe.ts), table by
// table. Time is an argument, the random draws are arguments, the feed's answers are arguments.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_OBSERVE_RULES,
  INITIAL_OBSERVE_STATE,
  type ObserveInput,
  type ObservePlan,
  type Observer,
  type ObserveState,
  observationSent,
  planObservation,
  readObserveState,
  type SendOutcome,
  sendOutcome,
  sharedInFeed,
} from '../../src/core/observe';
import { SERVICE_IDS, type ServiceId } from '../../src/core/services';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import type { Connectivity, MonitorState, Status } from '../../src/core/types';
import { DEFAULT_OBSERVE_HINTS, type Observation, observationSchema } from '../../src/shared/feed';
import { MIN, serviceState, T0 } from './helpers';

const FEED = 'https://feed.example.org';
const URL_ = `${FEED}/v1/observations`;
const SETTINGS = {
  ...DEFAULT_SETTINGS,
  feedUrl: FEED,
  shareObservations: true,
  watched: ['whatsapp', 'telegram', 'signal'] as ServiceId[],
};
const OBSERVER: Observer = { client: 'k3J9x0Qe-7YpLm2Z0123ab', country: 'IT', sampleDraw: 0.4 };
const SPREAD_MS = DEFAULT_OBSERVE_HINTS.spreadSeconds * 1000;

/** A monitor state whose probes concluded `probes` (and whose fused verdict may say otherwise). */
function monitor(
  probes: Partial<Record<ServiceId, Status>>,
  connectivity: Connectivity = 'online',
  fused: Partial<Record<ServiceId, Status>> = {},
): MonitorState {
  const services = Object.fromEntries(
    Object.entries(probes).map(([id, probeStatus]) => [
      id,
      serviceState({ probeStatus, status: fused[id as ServiceId] ?? probeStatus }),
    ]),
  );
  return { connectivity, connectivityReasons: [], checkedAt: T0, services };
}

const ALL_UP = monitor({ whatsapp: 'up', telegram: 'up', signal: 'up' });
const WA_DOWN = monitor({ whatsapp: 'down', telegram: 'up', signal: 'up' });

function plan(partial: Partial<ObserveInput> = {}): ObservePlan {
  return planObservation({
    previous: INITIAL_OBSERVE_STATE,
    monitor: ALL_UP,
    settings: SETTINGS,
    hints: DEFAULT_OBSERVE_HINTS,
    observer: OBSERVER,
    jitter: 0,
    now: T0,
    ...partial,
  });
}

/** The state once the feed accepted `services` at `at`. */
const sentState = (services: Observation['services'], at = T0 - 5 * MIN): ObserveState => ({
  ...INITIAL_OBSERVE_STATE,
  sent: { url: URL_, services, at },
});
const UP3 = { whatsapp: 'up', telegram: 'up', signal: 'up' } as const;
const WA_DOWN3 = { whatsapp: 'down', telegram: 'up', signal: 'up' } as const;

describe('when nothing is sent', () => {
  it.each<[string, Partial<ObserveInput>]>([
    [
      'sharing off (the default)',
      { settings: { ...SETTINGS, shareObservations: DEFAULT_SETTINGS.shareObservations } },
    ],
    ['no feed set', { settings: { ...SETTINGS, feedUrl: '' } }],
    [
      'a static feed (a .json file takes no posts)',
      { settings: { ...SETTINGS, feedUrl: `${FEED}/feed.json` } },
    ],
    ['no observer (the browser’s data consent withheld)', { observer: null }],
    ['out of the sample today (draw 0.4, sample 0.3)', { hints: { sample: 0.3, spreadSeconds: 60 } }],
    [
      'a sample of nobody',
      { hints: { sample: 0, spreadSeconds: 60 }, observer: { ...OBSERVER, sampleDraw: 0 } },
    ],
    ['offline', { monitor: monitor({ whatsapp: 'unknown' }, 'offline') }],
    ['behind a Wi-Fi login page', { monitor: monitor({ whatsapp: 'unknown' }, 'captive') }],
    ['nothing known yet (no probe has concluded)', { monitor: monitor({ whatsapp: 'unknown' }) }],
    ['the same as last sent, 5 minutes ago', { previous: sentState(UP3) }],
  ])('%s', (_name, input) => {
    const result = plan(input);
    expect(result.send).toBeNull();
    expect(result.wakeAt).toBeNull();
    expect(result.state.pending).toBeNull();
  });

  it('is in the sample just below the share and out of it at the share', () => {
    const hints = { sample: 0.4, spreadSeconds: 0 };
    expect(plan({ hints, observer: { ...OBSERVER, sampleDraw: 0.399 } }).send).not.toBeNull();
    expect(plan({ hints, observer: { ...OBSERVER, sampleDraw: 0.4 } }).send).toBeNull();
  });

  it('turning sharing off forgets what was sent and what waited, and keeps the server’s wait', () => {
    const previous: ObserveState = {
      sent: { url: URL_, services: UP3, at: T0 - MIN },
      pending: { services: WA_DOWN3, due: T0 + 10_000 },
      retryAt: T0 + MIN,
      readOnly: null,
    };
    const off = plan({ previous, settings: { ...SETTINGS, shareObservations: false } });
    expect(off.state).toEqual({ ...INITIAL_OBSERVE_STATE, retryAt: T0 + MIN });
  });

  it('while offline, a change that waited keeps waiting (and is not sent)', () => {
    const previous = { ...sentState(UP3), pending: { services: WA_DOWN3, due: T0 - 1 } };
    const offline = plan({ previous, monitor: monitor({ whatsapp: 'unknown' }, 'offline') });
    expect(offline).toEqual({ state: previous, send: null, wakeAt: null });
  });
});

describe('what is said: the probes alone', () => {
  it.each<[string, MonitorState, Observation['services']]>([
    ['up and down', WA_DOWN, WA_DOWN3],
    [
      'slow (degraded) counts as up: it answers',
      monitor({ whatsapp: 'degraded', telegram: 'up' }),
      { whatsapp: 'up', telegram: 'up' },
    ],
    ['unknown is left out', monitor({ whatsapp: 'down', telegram: 'unknown' }), { whatsapp: 'down' }],
    [
      'the fused verdict is ignored (the crowd or a status page says down, the probes reach it)',
      monitor({ whatsapp: 'up', telegram: 'up' }, 'online', { whatsapp: 'down', telegram: 'degraded' }),
      { whatsapp: 'up', telegram: 'up' },
    ],
    [
      'a service no longer watched is left out',
      monitor({ whatsapp: 'down', discord: 'down' }),
      { whatsapp: 'down' },
    ],
  ])('%s', (_name, state, services) => {
    expect(plan({ monitor: state }).send?.services).toEqual(services);
  });

  it('adds the country only when the observer has one, and always the client id', () => {
    expect(plan().send).toEqual({ client: OBSERVER.client, country: 'IT', services: UP3 });
    expect(plan({ observer: { ...OBSERVER, country: null } }).send).toEqual({
      client: OBSERVER.client,
      services: UP3,
    });
  });

  it('is what the server takes: the observation schema accepts it', () => {
    expect(v.safeParse(observationSchema, plan({ monitor: WA_DOWN }).send).success).toBe(true);
  });

  it('stays under 300 bytes for all 13 catalog services with a country', () => {
    const everything = monitor(Object.fromEntries(SERVICE_IDS.map((id) => [id, 'down'])));
    const send = plan({ monitor: everything, settings: { ...SETTINGS, watched: [...SERVICE_IDS] } }).send;
    expect(Object.keys(send?.services ?? {})).toHaveLength(13);
    const bytes = new TextEncoder().encode(JSON.stringify(send)).byteLength;
    expect(bytes).toBeLessThan(300);
    expect(bytes).toBe(270);
  });
});

describe('when it is said: one post per change, after a random wait', () => {
  it('waits jitter × spreadSeconds, then posts, with a wake-up at the due time meanwhile', () => {
    const first = plan({ previous: sentState(UP3), monitor: WA_DOWN, jitter: 0.5 });
    expect(first.send).toBeNull();
    expect(first.state.pending).toEqual({ services: WA_DOWN3, due: T0 + SPREAD_MS / 2 });
    expect(first.wakeAt).toBe(T0 + SPREAD_MS / 2);
    // The same states 20 s later: the due time holds (a new draw would not move it).
    const still = plan({ previous: first.state, monitor: WA_DOWN, jitter: 0.99, now: T0 + 20_000 });
    expect(still.state.pending?.due).toBe(T0 + SPREAD_MS / 2);
    expect(still.send).toBeNull();
    const due = plan({ previous: still.state, monitor: WA_DOWN, jitter: 0.99, now: T0 + SPREAD_MS / 2 });
    expect(due.send?.services).toEqual(WA_DOWN3);
    expect(due.wakeAt).toBeNull();
  });

  it('spreads over the feed’s spreadSeconds: 0 posts at once, 600 waits up to 10 minutes', () => {
    const change = { previous: sentState(UP3), monitor: WA_DOWN, jitter: 0.9 };
    expect(plan({ ...change, hints: { sample: 1, spreadSeconds: 0 } }).send).not.toBeNull();
    expect(plan({ ...change, hints: { sample: 1, spreadSeconds: 600 } }).wakeAt).toBe(T0 + 540_000);
  });

  it('a further change keeps the due time (the wait counts from the first unsent change) and sends the latest', () => {
    const first = plan({ previous: sentState(UP3), monitor: WA_DOWN, jitter: 0.5 });
    const both = monitor({ whatsapp: 'down', telegram: 'down', signal: 'up' });
    const next = plan({ previous: first.state, monitor: both, jitter: 0.9, now: T0 + 10_000 });
    expect(next.state.pending).toEqual({
      services: { whatsapp: 'down', telegram: 'down', signal: 'up' },
      due: T0 + SPREAD_MS / 2,
    });
  });

  it('a change back to what was last sent cancels the wait: nothing is posted', () => {
    const first = plan({ previous: sentState(UP3), monitor: WA_DOWN, jitter: 0.5 });
    const back = plan({ previous: first.state, monitor: ALL_UP, now: T0 + 20_000 });
    expect(back).toEqual({ state: sentState(UP3), send: null, wakeAt: null });
  });

  it('draws the wait again when a stored due time lies beyond any wait (a clock set back)', () => {
    const previous = { ...sentState(UP3), pending: { services: WA_DOWN3, due: T0 + 86_400_000 } };
    expect(plan({ previous, monitor: WA_DOWN, jitter: 0.25 }).state.pending?.due).toBe(T0 + SPREAD_MS / 4);
  });

  it('starts afresh at another feed: what the old one was told does not count', () => {
    const previous = { ...sentState(UP3) };
    const other = plan({ previous, settings: { ...SETTINGS, feedUrl: 'https://other.example.net' } });
    expect(other.send?.services).toEqual(UP3);
    expect(other.state.sent).toBeNull();
  });
});

describe('"still the same": at most one per 15 minutes', () => {
  it.each<[string, number, boolean]>([
    ['14 min 59 s after the last post', 15 * MIN - 1000, false],
    ['15 min after it', 15 * MIN, true],
    ['an hour after it', 60 * MIN, true],
  ])('%s: due %s', (_name, since, due) => {
    const result = plan({ previous: sentState(UP3, T0 - since), jitter: 0 });
    expect(result.send !== null).toBe(due);
    if (due) expect(result.send?.services).toEqual(UP3);
  });

  it('is jittered like a change, and the next one comes 15 minutes after the accepted one', () => {
    const waiting = plan({ previous: sentState(UP3, T0 - 15 * MIN), jitter: 0.5 });
    expect(waiting.wakeAt).toBe(T0 + SPREAD_MS / 2);
    const at = T0 + SPREAD_MS / 2;
    const posted = plan({ previous: waiting.state, now: at });
    expect(posted.send).not.toBeNull();
    const accepted = observationSent(
      posted.state,
      URL_,
      posted.send as Observation,
      { kind: 'accepted' },
      at,
    );
    expect(plan({ previous: accepted, now: at + 15 * MIN - 1 }).send).toBeNull();
    expect(plan({ previous: accepted, now: at + 15 * MIN }).send).not.toBeNull();
  });

  it('a simulated quiet hour of checks every minute posts 4 times at most', () => {
    let state = INITIAL_OBSERVE_STATE;
    let posts = 0;
    for (let minute = 0; minute < 60; minute++) {
      const now = T0 + minute * MIN;
      const result = plan({ previous: state, now, jitter: 0 });
      state = result.state;
      if (result.send) {
        posts++;
        state = observationSent(state, URL_, result.send, { kind: 'accepted' }, now);
      }
    }
    expect(posts).toBe(4);
  });
});

describe('what the feed answered', () => {
  it.each<[string, number | null, string | null, SendOutcome]>([
    ['202: accepted', 202, null, { kind: 'accepted' }],
    ['200 is not what the protocol answers: tried again', 200, null, { kind: 'failed' }],
    ['429 with Retry-After in seconds', 429, '120', { kind: 'rate-limited', retryAfterSeconds: 120 }],
    [
      '429 with an HTTP date (waits the default)',
      429,
      'Wed, 21 Oct 2026 07:28:00 GMT',
      { kind: 'rate-limited', retryAfterSeconds: null },
    ],
    ['429 without Retry-After', 429, null, { kind: 'rate-limited', retryAfterSeconds: null }],
    ['404: no such endpoint (a static feed)', 404, null, { kind: 'read-only' }],
    ['405: method not allowed (a static host)', 405, null, { kind: 'read-only' }],
    ['400', 400, null, { kind: 'failed' }],
    ['503', 503, null, { kind: 'failed' }],
    ['no answer at all', null, null, { kind: 'failed' }],
  ])('%s', (_name, status, retryAfter, outcome) => {
    expect(sendOutcome(status, retryAfter)).toEqual(outcome);
  });

  const waiting: ObserveState = { ...sentState(UP3), pending: { services: WA_DOWN3, due: T0 } };
  const SENT: Observation = { client: OBSERVER.client, services: WA_DOWN3 };

  it('marks it sent only when accepted', () => {
    expect(observationSent(waiting, URL_, SENT, { kind: 'accepted' }, T0 + 1)).toEqual({
      ...INITIAL_OBSERVE_STATE,
      sent: { url: URL_, services: WA_DOWN3, at: T0 + 1 },
    });
    // Anything else: still pending, posted again at the next check.
    const failed = observationSent(waiting, URL_, SENT, { kind: 'failed' }, T0 + 1);
    expect(failed).toEqual(waiting);
    expect(plan({ previous: failed, monitor: WA_DOWN, now: T0 + MIN }).send?.services).toEqual(WA_DOWN3);
  });

  it.each<[string, number | null, number]>([
    ['honours Retry-After', 120, 120_000],
    ['waits a minute when the feed does not say how long', null, 60_000],
    [
      'waits 6 hours at most, whatever the feed says',
      10 ** 9,
      DEFAULT_OBSERVE_RULES.retryAfterMaxSeconds * 1000,
    ],
  ])('on 429 %s, then posts', (_name, seconds, waitMs) => {
    const limited = observationSent(
      waiting,
      URL_,
      SENT,
      { kind: 'rate-limited', retryAfterSeconds: seconds },
      T0,
    );
    expect(limited.retryAt).toBe(T0 + waitMs);
    const held = plan({ previous: limited, monitor: WA_DOWN, now: T0 + waitMs - 1 });
    expect(held.send).toBeNull();
    expect(held.wakeAt).toBe(T0 + waitMs);
    expect(plan({ previous: limited, monitor: WA_DOWN, now: T0 + waitMs }).send).not.toBeNull();
  });

  it('leaves a feed that answered 404/405 alone for a day, and only that feed', () => {
    const refused = observationSent(waiting, URL_, SENT, { kind: 'read-only' }, T0);
    expect(refused.readOnly).toEqual({ url: URL_, until: T0 + 24 * 60 * MIN });
    expect(refused.pending).toBeNull();
    expect(plan({ previous: refused, monitor: WA_DOWN, now: T0 + 23 * 60 * MIN }).send).toBeNull();
    expect(plan({ previous: refused, monitor: WA_DOWN, now: T0 + 24 * 60 * MIN }).send).not.toBeNull();
    const other = { ...SETTINGS, feedUrl: 'https://other.example.net' };
    expect(plan({ previous: refused, monitor: WA_DOWN, settings: other }).send).not.toBeNull();
  });
});

describe('the sending state in storage', () => {
  const full: ObserveState = {
    sent: { url: URL_, services: UP3, at: T0 },
    pending: { services: WA_DOWN3, due: T0 + 1000 },
    retryAt: T0 + MIN,
    readOnly: { url: 'https://static.example.org/v1/observations', until: T0 + MIN },
  };

  it('reads back what was written', () => {
    expect(readObserveState(JSON.parse(JSON.stringify(full)))).toEqual(full);
  });

  it.each<[string, unknown, ObserveState]>([
    ['nothing stored: the start', undefined, INITIAL_OBSERVE_STATE],
    ['a string: the start', 'junk', INITIAL_OBSERVE_STATE],
    [
      'an unknown service in what was sent: that part is forgotten',
      { ...full, sent: { ...full.sent, services: { skype: 'up' } } },
      { ...full, sent: null },
    ],
    [
      'a state that is neither up nor down',
      { ...full, pending: { services: { whatsapp: 'slow' }, due: 1 } },
      { ...full, pending: null },
    ],
    [
      'a due time that is not a number',
      { ...full, pending: { services: {}, due: '1' } },
      { ...full, pending: null },
    ],
    ['an infinite wait', { ...full, retryAt: Number.POSITIVE_INFINITY }, { ...full, retryAt: null }],
    ['a read-only mark without its feed', { ...full, readOnly: { until: 5 } }, { ...full, readOnly: null }],
  ])('reads %s', (_name, stored, expected) => {
    expect(readObserveState(stored)).toEqual(expected);
  });
});

describe('what the feed still counts of this browser (for the scope rule)', () => {
  const WINDOW = DEFAULT_OBSERVE_RULES.feedWindowMs;
  it.each<[string, ObserveState, Partial<typeof SETTINGS>, number, Observation['services']]>([
    ['its last accepted word, a minute old', sentState(WA_DOWN3, T0 - MIN), {}, T0, WA_DOWN3],
    ['just inside the feed’s window', sentState(UP3, T0 - WINDOW + 1), {}, T0, UP3],
    ['out of the window: no longer counted', sentState(UP3, T0 - WINDOW), {}, T0, {}],
    ['nothing accepted yet', INITIAL_OBSERVE_STATE, {}, T0, {}],
    ['sent to another feed', sentState(UP3), { feedUrl: 'https://other.example.org' }, T0, {}],
    ['sharing turned off', sentState(UP3), { shareObservations: false }, T0, {}],
    ['from the future (a clock set back): not trusted', sentState(UP3, T0 + MIN), {}, T0, {}],
  ])('%s', (_name, state, settings, now, expected) => {
    expect(sharedInFeed(state, { ...SETTINGS, ...settings }, now)).toEqual(expected);
  });
});
