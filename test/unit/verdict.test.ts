import { describe, expect, it } from 'vitest';
import { classifyAttempt, needsAnotherAttempt } from '../../src/core/attempts';
import { describeReason } from '../../src/core/translate';
import type { Attempt, Status } from '../../src/core/types';
import { decideService } from '../../src/core/verdict';
import { confirmedFailure, http503, MIN, net, ok, serviceState, slow, T, T0, t, timeout } from './helpers';

describe('classifyAttempt', () => {
  it.each([
    ['an opaque answer is reachable', { ok: true, latencyMs: 90, status: null }, 'reachable'],
    ['a 400 (WhatsApp to odd clients) is reachable', { ok: true, latencyMs: 90, status: 400 }, 'reachable'],
    ['a 302 to a login page is reachable', { ok: true, latencyMs: 90, status: 302 }, 'reachable'],
    ['a 503 is an HTTP error', { ok: true, latencyMs: 90, status: 503 }, 'http'],
    ['an answer after 3 s is slow', { ok: true, latencyMs: 3000, status: 200 }, 'slow'],
    ['an aborted request is a timeout', { ok: false, latencyMs: 4000, timedOut: true }, 'timeout'],
    ['a TypeError is a network error', { ok: false, latencyMs: 20, timedOut: false }, 'network'],
  ] as const)('%s', (_name, raw, kind) => {
    expect(classifyAttempt(raw, T).kind).toBe(kind);
  });
});

describe('needsAnotherAttempt (confirmation within one check)', () => {
  it.each<[string, Status, Attempt[], boolean]>([
    ['no retry when an up service answers', 'up', [ok], false],
    ['retries when an up service fails once', 'up', [net], true],
    ['retries again after a second failure', 'up', [net, timeout], true],
    ['stops after five failures', 'up', confirmedFailure(), false],
    ['keeps confirming after three failures', 'up', [net, net, net], true],
    ['stops as soon as a retry answers', 'up', [net, ok], false],
    ['confirms a first failure of an unknown service', 'unknown', [net], true],
    ['no retry when a down service still fails', 'down', [net], false],
    ['confirms a recovery with a second success', 'down', [ok], true],
    ['stops after two successes', 'down', [ok, ok], false],
    ['stops when the recovery is not confirmed', 'down', [ok, net], false],
  ])('%s', (_name, previous, attempts, expected) => {
    expect(needsAnotherAttempt(previous, attempts, T)).toBe(expected);
  });
});

describe('decideService', () => {
  const decide = (prev: ReturnType<typeof serviceState> | undefined, attempts: Attempt[], now = T0) =>
    decideService(prev, { service: 'whatsapp', attempts }, now, T);

  it('marks WhatsApp down only after the retries also fail', () => {
    expect(decide(serviceState(), [net, ok]).status).toBe('up');
    const down = decide(serviceState(), confirmedFailure());
    expect(down.status).toBe('down');
    expect(down.since).toBe(T0);
    expect(down.reasons.map((r) => describeReason(r, t, 'en'))).toEqual([
      '5 of 5 attempts: connection failed',
    ]);
  });

  it.each<[string, Attempt[], string]>([
    ['timeouts', confirmedFailure(timeout), '5 of 5 attempts: no answer in time'],
    ['server errors', confirmedFailure(http503), '5 of 5 attempts: server error'],
    [
      'mixed failures name the last',
      [timeout, timeout, timeout, net, http503],
      '5 of 5 attempts: server error',
    ],
  ])('explains down caused by %s', (_name, attempts, reason) => {
    expect(describeReason(decide(serviceState(), attempts).reasons[0] as never, t, 'en')).toBe(reason);
  });

  it('a failure cleared by a retry stays up and says so', () => {
    const s = decide(serviceState(), [net, ok]);
    expect(s.status).toBe('up');
    expect(describeReason(s.reasons[0] as never, t, 'en')).toBe('1 of 2 attempts failed, then it answered');
  });

  it('marks an unknown service down after one confirmed check', () => {
    expect(decide(undefined, confirmedFailure()).status).toBe('down');
  });

  it('keeps a down service down until the recovery is confirmed', () => {
    const prev = serviceState({ status: 'down', since: T0 - 12 * MIN, recent: ['up', 'down'] });
    const half = decide(prev, [ok, net]);
    expect(half.status).toBe('down');
    expect(half.since).toBe(prev.since);
    expect(describeReason(half.reasons[0] as never, t, 'en')).toBe('answering again (1 of 2 confirmations)');
    const back = decide(prev, [ok, ok]);
    expect(back.status).toBe('up');
    expect(back.since).toBe(T0);
  });

  it('calls one slow check up, and two slow checks in a row degraded', () => {
    const once = decide(serviceState(), [slow]);
    expect(once.status).toBe('up');
    expect(describeReason(once.reasons[1] as never, t, 'en')).toBe('slow answer (3,200 ms)');
    expect(decide(once, [slow], T0 + MIN).status).toBe('degraded');
    expect(decide(decide(once, [slow], T0 + MIN), [ok], T0 + 2 * MIN).status).toBe('up');
  });

  /**
   * Plays a sequence of checks from a steady, stable service: 'D' fails (5 attempts, or 1 once it is
   * down), 'U' answers (2 attempts to confirm a recovery, else 1). Returns the statuses (U, D, S for
   * degraded) and the flap flag (~) after each check.
   */
  function play(seq: string, start = serviceState({ recent: Array(10).fill('up') })) {
    const letter: Record<Status, string> = { up: 'U', down: 'D', degraded: 'S', unknown: '?' };
    let s = start;
    let statuses = '';
    let flags = '';
    [...seq].forEach((check, i) => {
      const down = s.probeStatus === 'down';
      const attempts = check === 'D' ? (down ? [net] : confirmedFailure()) : down ? [ok, ok] : [ok];
      s = decide(s, attempts, T0 + i * MIN);
      statuses += letter[s.status];
      flags += s.unstable ? '~' : '.';
    });
    return { statuses, flags, last: s };
  }

  // Flapping is a flag beside the real status (Icinga shows a flapping host DOWN): the status is
  // what the check saw, at once, and `~` marks the checks where three or more changes in the last
  // 10 checks made the service unstable (until they fall below 25 %).
  it.each<[string, string, string]>([
    ['a first outage is down at its first check', 'DDD', '...'],
    ['a real outage and its recovery are not flapping', 'DDDUUU', '......'],
    [
      'a second outage after a short recovery is down at its first check, flagged unstable',
      'DDDUUDDDDDD',
      '.....~~~~..',
    ],
    ['a relapse after a single check up is down at once too', 'DDUDDDDDDD', '...~~~~~~.'],
    ['a service that flips at every check follows every check', 'DUDUDUDUDU', '..~~~~~~~~'],
    ['a second relapse while unstable is down at once', 'DDUUDDUUDDDDDDDDDD', '....~~~~~~~~~.....'],
  ])('%s', (_name, checks, flags) => {
    const played = play(checks);
    expect(played.statuses).toBe(checks);
    expect(played.flags).toBe(flags);
  });

  it('says why a down service is unstable, after what the check saw, with no degraded cause', () => {
    const { last } = play('DDDUUD');
    expect(last).toMatchObject({ status: 'down', probeStatus: 'down', unstable: true, cause: null });
    expect(last.reasons.map((r) => describeReason(r, t, 'en'))).toEqual([
      '5 of 5 attempts: connection failed',
      'keeps going up and down (3 changes in 10 checks)',
    ]);
    const up = decide(last, [ok, ok], T0 + 10 * MIN);
    expect(up).toMatchObject({ status: 'up', unstable: true, cause: null });
    expect(up.reasons.map((r) => r.code)).toEqual(['attemptsOk', 'unstable']);
  });

  it('leaves unstable only when changes fall below the leave ratio (hysteresis)', () => {
    const start = serviceState({ recent: ['up', 'down', 'up', 'down', 'up'], unstable: true });
    // 4 changes in the window: still unstable while they are 3 of 9 or more, and up all along.
    expect(play('UUUUUUUUUU', start)).toMatchObject({ statuses: 'UUUUUUUUUU', flags: '~~~~~~....' });
  });

  it('does not call a single real outage and its recovery unstable', () => {
    let s = serviceState({ recent: Array(10).fill('up') });
    const outcomes: Attempt[][] = [confirmedFailure(), [net], [net], [ok, ok], [ok], [ok]];
    const statuses = outcomes.map((a, i) => {
      s = decide(s, a, T0 + i * MIN);
      return s.status;
    });
    expect(statuses).toEqual(['down', 'down', 'down', 'up', 'up', 'up']);
  });

  it('keeps `since` while the status holds and records the latest latency', () => {
    const s = decide(serviceState({ since: T0 - 5 * MIN }), [
      { kind: 'reachable', latencyMs: 88.4, status: null },
    ]);
    expect(s.since).toBe(T0 - 5 * MIN);
    expect(s.latencyMs).toBe(88);
    expect(decide(serviceState(), confirmedFailure()).latencyMs).toBeNull();
  });
});
