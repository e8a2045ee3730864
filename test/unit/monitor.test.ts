import { describe, expect, it } from 'vitest';
import type { CrowdSignal } from '../../src/core/fusion';
import { type CheckObservation, decideCheck, isStale, nextCheckDelaySeconds } from '../../src/core/monitor';
import type { OfficialReport } from '../../src/core/official/types';
import type { ServiceId } from '../../src/core/services';
import {
  type Attempt,
  type ConnectivityObservation,
  INITIAL_STATE,
  type MonitorState,
} from '../../src/core/types';
import { confirmedFailure, MIN, net, ok, serviceState, slow, T, T0 } from './helpers';

const online: ConnectivityObservation = {
  onLine: true,
  controls: [
    { id: 'google', reachable: true },
    { id: 'cloudflare', reachable: true },
  ],
  portal: 'unchecked',
};
const controlsDown: ConnectivityObservation = {
  ...online,
  controls: online.controls.map((c) => ({ ...c, reachable: false })),
};

function observe(
  connectivity: ConnectivityObservation,
  probes: Partial<Record<ServiceId, Attempt[]>>,
): CheckObservation {
  return {
    connectivity,
    probes: Object.entries(probes).map(([service, attempts]) => ({
      service: service as ServiceId,
      attempts: attempts ?? [],
    })),
  };
}

const upState: MonitorState = {
  ...INITIAL_STATE,
  checkedAt: T0 - MIN,
  services: { whatsapp: serviceState(), telegram: serviceState() },
};

describe('decideCheck: is it me or them?', () => {
  it('calls WhatsApp down, with "controls OK", when only WhatsApp fails', () => {
    const s = decideCheck(upState, observe(online, { whatsapp: confirmedFailure(), telegram: [ok] }), T0, T);
    expect(s.connectivity).toBe('online');
    expect(s.services.whatsapp?.status).toBe('down');
    expect(s.services.whatsapp?.reasons.map((r) => r.code)).toEqual(['attemptsFailed', 'controlsOk']);
    expect(s.services.telegram?.status).toBe('up');
  });

  it('says offline, not "everything is down", when the controls fail too', () => {
    const s = decideCheck(
      upState,
      observe(controlsDown, { whatsapp: confirmedFailure(), telegram: confirmedFailure() }),
      T0,
      T,
    );
    expect(s.connectivity).toBe('offline');
    expect(s.connectivityReasons).toEqual([{ code: 'controlsFailed' }]);
    expect(Object.values(s.services).map((x) => x?.status)).toEqual(['unknown', 'unknown']);
  });

  it('trusts navigator.onLine === false without probing', () => {
    const s = decideCheck(
      upState,
      observe({ onLine: false, controls: [], portal: 'unchecked' }, { whatsapp: [] }),
      T0,
      T,
    );
    expect(s.connectivity).toBe('offline');
    expect(s.connectivityReasons[0]?.code).toBe('browserOffline');
  });

  it('detects a captive portal where the portal check ran', () => {
    const s = decideCheck(upState, observe({ ...online, portal: 'portal' }, { whatsapp: [ok] }), T0, T);
    expect(s.connectivity).toBe('captive');
    expect(s.services.whatsapp?.reasons).toEqual([{ code: 'captive' }]);
  });

  it('stays online when the controls are blocked but a service answers', () => {
    const s = decideCheck(
      upState,
      observe(controlsDown, { whatsapp: [ok], telegram: confirmedFailure() }),
      T0,
      T,
    );
    expect(s.connectivity).toBe('online');
    expect(s.services.telegram?.status).toBe('down');
  });

  it('does not count an offline spell as flapping', () => {
    const before = upState.services.whatsapp?.recent;
    const off = decideCheck(upState, observe(controlsDown, { whatsapp: confirmedFailure() }), T0, T);
    expect(off.services.whatsapp?.recent).toEqual(before);
    const back = decideCheck(off, observe(online, { whatsapp: [ok] }), T0 + MIN, T);
    expect(back.services.whatsapp?.status).toBe('up');
    expect(back.services.whatsapp?.unstable).toBe(false);
  });

  it('keeps `since` of an unknown spell across offline checks', () => {
    const a = decideCheck(upState, observe(controlsDown, { whatsapp: [net] }), T0, T);
    const b = decideCheck(a, observe(controlsDown, { whatsapp: [net] }), T0 + MIN, T);
    expect(b.services.whatsapp?.since).toBe(T0);
  });

  it('drops services that are no longer watched', () => {
    const s = decideCheck(upState, observe(online, { whatsapp: [ok] }), T0, T);
    expect(Object.keys(s.services)).toEqual(['whatsapp']);
  });
});

describe('decideCheck: why a service is degraded', () => {
  const crowd = (level: CrowdSignal['level']): CrowdSignal => ({
    level,
    recent: 1040,
    baseline: 36,
    problem: null,
    probes: null,
  });
  const minor: OfficialReport = {
    service: 'whatsapp',
    source: 'statuspage',
    state: 'minor',
    title: null,
    problem: null,
  };

  it('calls a crowd outage while the probes answer a degraded verdict caused by the crowd', () => {
    const obs = { ...observe(online, { whatsapp: [ok] }), crowd: { whatsapp: crowd('outage') } };
    const s = decideCheck(upState, obs, T0, T).services.whatsapp;
    expect(s).toMatchObject({ status: 'degraded', probeStatus: 'up', cause: 'crowd' });
    expect(s?.reasons).toContainEqual({ code: 'crowdOutage', args: [1040, 36] });
  });

  it('names an official minor incident while the probes answer', () => {
    const obs = { ...observe(online, { whatsapp: [ok] }), official: [minor] };
    expect(decideCheck(upState, obs, T0, T).services.whatsapp).toMatchObject({
      status: 'degraded',
      cause: 'official',
    });
  });

  it('keeps "slow" for two slow checks in a row, even with a crowd spike', () => {
    const once = decideCheck(upState, observe(online, { whatsapp: [slow] }), T0, T);
    const obs = { ...observe(online, { whatsapp: [slow] }), crowd: { whatsapp: crowd('outage') } };
    expect(decideCheck(once, obs, T0 + MIN, T).services.whatsapp).toMatchObject({
      status: 'degraded',
      probeStatus: 'degraded',
      cause: 'slow',
    });
  });

  it('flags a service that keeps dropping out unstable, and shows each check as it is: down or up', () => {
    let s = upState;
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      const attempts = i % 2 === 0 ? confirmedFailure() : [ok, ok];
      s = decideCheck(s, observe(online, { whatsapp: attempts }), T0 + i * MIN, T);
      seen.push(`${s.services.whatsapp?.status}${s.services.whatsapp?.unstable ? '~' : ''}`);
    }
    expect(seen).toEqual(['down', 'up', 'down~', 'up~', 'down~', 'up~']);
    expect(s.services.whatsapp).toMatchObject({ status: 'up', cause: null, since: T0 + 5 * MIN });
  });

  it.each<[string, CheckObservation]>([
    ['up', observe(online, { whatsapp: [ok] })],
    ['down', observe(online, { whatsapp: confirmedFailure() })],
    ['offline', observe(controlsDown, { whatsapp: confirmedFailure() })],
  ])('has no cause when %s', (_name, obs) => {
    expect(decideCheck(upState, obs, T0, T).services.whatsapp?.cause).toBeNull();
  });
});

describe('scheduling', () => {
  it.each<[string, CheckObservation, number]>([
    ['all clear: the normal interval', observe(online, { whatsapp: [ok] }), 60],
    ['a blip: sooner', observe(online, { whatsapp: [net, ok] }), 30],
    ['slow: sooner', observe(online, { whatsapp: [slow] }), 30],
    ['down: sooner, to see the recovery', observe(online, { whatsapp: confirmedFailure() }), 30],
    ['offline: sooner', observe(controlsDown, { whatsapp: confirmedFailure() }), 30],
  ])('%s', (_name, obs, delay) => {
    const state = decideCheck(upState, obs, T0, T);
    expect(nextCheckDelaySeconds(state, obs, 60, T)).toBe(delay);
  });

  it('checks a flapping service sooner even when it answers, to see soon whether it settled', () => {
    const flapping: MonitorState = {
      ...upState,
      services: {
        whatsapp: serviceState({
          status: 'down',
          recent: ['up', 'down', 'up', 'down', 'up', 'down'],
          unstable: true,
        }),
      },
    };
    const obs = observe(online, { whatsapp: [ok, ok] });
    const state = decideCheck(flapping, obs, T0, T);
    expect(state.services.whatsapp).toMatchObject({ status: 'up', unstable: true });
    expect(nextCheckDelaySeconds(state, obs, 60, T)).toBe(30);
  });

  it('never schedules later than the interval', () => {
    const obs = observe(online, { whatsapp: [net, ok] });
    expect(nextCheckDelaySeconds(decideCheck(upState, obs, T0, T), obs, 30, T)).toBe(30);
  });

  it.each([
    ['never checked', null, T0, true],
    ['checked a minute ago', T0 - MIN, T0, false],
    ['checked exactly two intervals ago', T0 - 2 * MIN, T0, false],
    ['after the laptop slept', T0 - 3 * 60 * MIN, T0, true],
  ])('stale when %s: %s', (_name, checkedAt, now, stale) => {
    expect(isStale({ ...upState, checkedAt }, now, 60, T)).toBe(stale);
  });
});
