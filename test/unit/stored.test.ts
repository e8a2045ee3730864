import { describe, expect, it } from 'vitest';
import type { HistoryBucket } from '../../src/core/history';
import {
  answeredChecks,
  appendHistory,
  HISTORY_BUCKET_MS,
  HISTORY_MAX_BUCKETS,
} from '../../src/core/history';
import { readHistory, readMonitorState } from '../../src/core/stored';
import { readNotifyState } from '../../src/core/stored-checks';
import { INITIAL_STATE, type MonitorState, type ServiceState } from '../../src/core/types';
import { MIN, serviceState, T0 } from './helpers';

const good: MonitorState = {
  connectivity: 'online',
  connectivityReasons: [{ code: 'controlsOk' }],
  checkedAt: T0,
  services: { whatsapp: serviceState(), telegram: serviceState({ status: 'down' }) },
};

describe('reading stored state back', () => {
  it('round-trips a good state through JSON', () => {
    expect(readMonitorState(JSON.parse(JSON.stringify(good)))).toEqual(good);
  });

  it.each([
    ['nothing', undefined],
    ['a string', 'corrupt'],
    ['a wrong connectivity', { ...good, connectivity: 'maybe' }],
    ['services missing', { ...good, services: undefined }],
  ])('starts fresh from %s', (_name, stored) => {
    expect(readMonitorState(stored)).toEqual(INITIAL_STATE);
  });

  it('drops one corrupt service and keeps the rest', () => {
    const stored = JSON.parse(JSON.stringify(good));
    stored.services.telegram.status = 'exploded';
    stored.services.skype = serviceState();
    const s = readMonitorState(stored);
    expect(Object.keys(s.services)).toEqual(['whatsapp']);
  });

  it.each<[string, unknown, unknown]>([
    ['a crowd cause', 'crowd', 'crowd'],
    ['an old state without a cause (before "possible outage")', undefined, null],
    ['a cause this version does not know', 'solar flare', null],
    ['a cause that is not a string', 42, null],
  ])('reads the cause of a degraded verdict back: %s', (_name, cause, expected) => {
    const stored = JSON.parse(JSON.stringify(good));
    stored.services.whatsapp.status = 'degraded';
    if (cause === undefined) delete stored.services.whatsapp.cause;
    else stored.services.whatsapp.cause = cause;
    expect(readMonitorState(stored).services.whatsapp).toMatchObject({ status: 'degraded', cause: expected });
  });

  it.each<[string, string[], 'up' | 'down']>([
    ['its last check failed: down', ['up', 'down', 'up', 'down'], 'down'],
    ['its last check answered: up', ['down', 'up', 'down', 'up'], 'up'],
  ])(
    'reads a flapping state of an older version (degraded, cause "unstable") as its real state: %s',
    (_name, recent, status) => {
      const stored = JSON.parse(JSON.stringify(good));
      Object.assign(stored.services.whatsapp, {
        status: 'degraded',
        probeStatus: 'degraded',
        cause: 'unstable',
        recent,
        unstable: true,
      });
      expect(readMonitorState(stored).services.whatsapp).toMatchObject({
        status,
        probeStatus: status,
        cause: null,
        unstable: true,
      });
    },
  );

  it.each<[string, unknown, unknown]>([
    ['only this network', { kind: 'network', country: null, down: 1, total: 121 }, 'same'],
    ['one country', { kind: 'country', country: 'IT', down: 30, total: 32 }, 'same'],
    ['everyone', { kind: 'everyone', country: null, down: 37, total: 41 }, 'same'],
    ['none (no feed, or no probes in it)', null, null],
    ['an old state without a scope (before the crowd of browsers)', undefined, null],
    ['a kind this version does not know', { kind: 'galaxy', country: null, down: 1, total: 2 }, null],
    ['a country that is not a code', { kind: 'country', country: 'Italy<b>', down: 1, total: 2 }, null],
    ['counts that are not numbers', { kind: 'everyone', country: null, down: '37', total: 41 }, null],
    ['a list', [], null],
  ])('reads where it fails back: %s', (_name, scope, expected) => {
    const stored = JSON.parse(JSON.stringify(good));
    stored.services.whatsapp.status = 'degraded';
    stored.services.whatsapp.cause = 'local';
    if (scope === undefined) delete stored.services.whatsapp.scope;
    else stored.services.whatsapp.scope = scope;
    // A broken scope never drops the service: it reads as none until the next check.
    expect(readMonitorState(stored).services.whatsapp).toMatchObject({
      status: 'degraded',
      cause: 'local',
      scope: expected === 'same' ? scope : expected,
    });
  });

  it('drops a cause stored with a status that has none', () => {
    const stored = JSON.parse(JSON.stringify(good));
    stored.services.whatsapp.cause = 'crowd';
    expect(readMonitorState(stored).services.whatsapp?.cause).toBeNull();
  });

  it('reads a notification state that was told "not from your network" back', () => {
    const local = {
      phase: 'local',
      pending: { to: 'local', since: T0, checks: 1 },
      downSince: null,
      downShown: false,
      lastReminderAt: null,
      heldBack: 0,
    };
    expect(readNotifyState({ snoozedUntil: null, services: { whatsapp: local } }).services.whatsapp).toEqual(
      local,
    );
    const unknown = { ...local, phase: 'elsewhere' };
    expect(readNotifyState({ snoozedUntil: null, services: { whatsapp: unknown } }).services.whatsapp).toBe(
      undefined,
    );
  });

  it('reads a notification state stored before held-back changes: a pending change seen once, none held back', () => {
    const stored = {
      snoozedUntil: null,
      services: {
        whatsapp: {
          phase: 'ok',
          pending: { to: 'down', since: T0 },
          downSince: null,
          downShown: false,
          lastReminderAt: null,
        },
      },
    };
    expect(readNotifyState(stored).services.whatsapp).toEqual({
      ...stored.services.whatsapp,
      pending: { to: 'down', since: T0, checks: 1 },
      heldBack: 0,
    });
  });

  it('drops corrupt history buckets and keeps good ones', () => {
    const h = readHistory({
      whatsapp: [{ t: T0, s: 'up', l: 100, n: 1, ln: 1 }, { t: 'x' }],
      telegram: 'nope',
    });
    expect(h).toEqual({ whatsapp: [{ t: T0, s: 'up', l: 100, n: 1, ln: 1 }] });
    expect(readHistory(null)).toEqual({});
  });

  it('reads history stored before the probe view, and drops a bad answered count', () => {
    const old = { t: T0, s: 'degraded', l: 100, n: 4, ln: 4 };
    const mixed = { t: T0 + HISTORY_BUCKET_MS, s: 'down', l: 100, n: 4, ln: 2, a: 2 };
    const bad = { t: T0 + 2 * HISTORY_BUCKET_MS, s: 'up', l: 100, n: 1, ln: 1, a: 'all' };
    expect(readHistory({ whatsapp: [old, mixed, bad] })).toEqual({ whatsapp: [old, mixed] });
  });
});

describe('history', () => {
  const stateAt = (status: 'up' | 'down', latencyMs: number | null): MonitorState => ({
    ...good,
    services: { whatsapp: serviceState({ status, latencyMs }) },
  });

  it('merges checks of one 5-minute bucket: worst status, mean latency, checks that answered', () => {
    const start = T0 - (T0 % HISTORY_BUCKET_MS);
    let h = appendHistory({}, stateAt('up', 100), start + 1000);
    h = appendHistory(h, stateAt('up', 200), start + 2000);
    h = appendHistory(h, stateAt('down', null), start + 3000);
    expect(h.whatsapp).toEqual([{ t: start, s: 'down', l: 150, n: 3, ln: 2, a: 2 }]);
  });

  it('records what the probes saw: a check that answered is up, whatever the crowd said', () => {
    const start = T0 - (T0 % HISTORY_BUCKET_MS);
    const crowdDegraded: MonitorState = {
      ...good,
      services: {
        whatsapp: serviceState({ status: 'degraded', probeStatus: 'up', cause: 'crowd', latencyMs: 100 }),
      },
    };
    const h = appendHistory({}, crowdDegraded, start + 1000);
    expect(h.whatsapp).toEqual([{ t: start, s: 'up', l: 100, n: 1, ln: 1 }]);
  });

  it.each<[string, Partial<ServiceState>, 'up' | 'down' | 'unknown', number]>([
    [
      'slow but answered',
      { status: 'degraded', probeStatus: 'degraded', cause: 'slow', recent: ['slow'] },
      'up',
      1,
    ],
    [
      'flapping, as older versions said it, this check answered',
      { status: 'degraded', probeStatus: 'degraded', cause: null, recent: ['down', 'up'] },
      'up',
      1,
    ],
    [
      'flapping, as older versions said it, this check failed',
      { status: 'degraded', probeStatus: 'degraded', cause: null, recent: ['up', 'down'] },
      'down',
      0,
    ],
    [
      'flapping and down',
      { status: 'down', probeStatus: 'down', unstable: true, latencyMs: null, recent: ['up', 'down'] },
      'down',
      0,
    ],
    ['flapping and up', { status: 'up', probeStatus: 'up', unstable: true, recent: ['down', 'up'] }, 'up', 1],
    ['down by an official major outage while answering', { status: 'down', probeStatus: 'up' }, 'up', 1],
    ['down', { status: 'down', probeStatus: 'down', latencyMs: null }, 'down', 0],
    ['offline', { status: 'unknown', probeStatus: 'unknown', latencyMs: null }, 'unknown', 0],
  ])('counts a check as answered or not: %s', (_name, partial, view, answered) => {
    const start = T0 - (T0 % HISTORY_BUCKET_MS);
    const h = appendHistory({}, { ...good, services: { whatsapp: serviceState(partial) } }, start);
    expect(h.whatsapp?.[0]?.s).toBe(view);
    expect(answeredChecks(h.whatsapp?.[0] as HistoryBucket)).toBe(answered);
  });

  it('counts the answered checks of a mixed bucket, and of buckets stored before the probe view', () => {
    const start = T0 - (T0 % HISTORY_BUCKET_MS);
    let h = appendHistory({}, stateAt('up', 100), start + 1000);
    h = appendHistory(h, stateAt('down', null), start + 2000);
    h = appendHistory(h, stateAt('up', 100), start + 3000);
    expect(h.whatsapp).toEqual([{ t: start, s: 'down', l: 100, n: 3, ln: 2, a: 2 }]);
    expect(answeredChecks({ t: start, s: 'up', l: 100, n: 5, ln: 5 })).toBe(5);
    expect(answeredChecks({ t: start, s: 'degraded', l: 100, n: 5, ln: 5 })).toBe(0);
    expect(answeredChecks({ t: start, s: 'down', l: 100, n: 5, ln: 5, a: 9 })).toBe(5);
  });

  it('keeps at most 24 h (288 buckets) per service, however often it checks', () => {
    let h = {};
    for (let i = 0; i < 2 * 24 * 60 * 2; i++) h = appendHistory(h, stateAt('up', 100), T0 + i * 30_000);
    const buckets = (h as { whatsapp: unknown[] }).whatsapp;
    expect(buckets.length).toBeLessThanOrEqual(HISTORY_MAX_BUCKETS);
    expect(buckets.length).toBeGreaterThanOrEqual(HISTORY_MAX_BUCKETS - 1);
    expect(JSON.stringify(h).length).toBeLessThan(15_000);
  });

  it('forgets a service after 24 h without checks', () => {
    const h = appendHistory({}, stateAt('up', 100), T0);
    const later = appendHistory(h, { ...good, services: {} }, T0 + 25 * 60 * MIN);
    expect(later).toEqual({});
  });
});
