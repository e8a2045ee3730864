// "Just me, my country, or everyone?": the rule that reads the feed's probes (networks down and up)
// and this browser's own check into a scope, and what the verdict and the badge make of it.
import { describe, expect, it } from 'vitest';
import { badgeKind } from '../../src/core/badge';
import { crowdSignals } from '../../src/core/crowd';
import { type CheckObservation, decideCheck } from '../../src/core/monitor';
import { type CrowdScope, crowdScope, downCountries, type OwnView } from '../../src/core/scope';
import { INITIAL_STATE, type Status } from '../../src/core/types';
import type { ObservedState, ServiceProbes } from '../../src/shared/feed';
import { feedWithProbes } from '../feed-docs';
import { confirmedFailure, ok, T, T0 } from './helpers';

const probes = (down: number, up: number, more: Partial<ServiceProbes> = {}): ServiceProbes => ({
  down,
  up,
  countries: {},
  ...more,
});
const own = (probe: Status, controlsOk = true): OwnView => ({ probe, controlsOk });
/** This browser's view, and what it last told the feed (which the feed still counts). */
const told = (probe: Status, shared: ObservedState, controlsOk = true): OwnView => ({
  probe,
  controlsOk,
  shared,
});
const scope = (kind: CrowdScope['kind'], down: number, total: number, country: string | null = null) => ({
  kind,
  country,
  down,
  total,
});

describe('crowdScope: the rule', () => {
  it.each<[string, ServiceProbes | null | undefined, OwnView, CrowdScope | null]>([
    // Nothing to read.
    ['no feed', undefined, own('down'), null],
    ['a feed without probes for it', null, own('down'), null],
    // The server's word first, whatever this browser sees.
    [
      'server: everyone, failing here',
      probes(37, 4, { scope: 'everyone' }),
      own('down'),
      scope('everyone', 37, 41),
    ],
    [
      'server: everyone, answering here',
      probes(37, 4, { scope: 'everyone' }),
      own('up'),
      scope('everyone', 37, 41),
    ],
    [
      'server: everyone, offline here',
      probes(37, 4, { scope: 'everyone' }),
      own('unknown', false),
      scope('everyone', 37, 41),
    ],
    [
      'server: everyone, though many reach it (its word, not ours)',
      probes(37, 400, { scope: 'everyone' }),
      own('down'),
      scope('everyone', 37, 437),
    ],
    [
      'server: country, named',
      probes(31, 120, { scope: 'country', scopeCountry: 'IT', countries: { IT: [30, 2], FR: [1, 60] } }),
      own('down'),
      scope('country', 30, 32, 'IT'),
    ],
    [
      'server: country, not named: the listed one with the highest share down',
      probes(34, 120, { scope: 'country', countries: { FR: [4, 60], IT: [30, 2], DE: [0, 58] } }),
      own('up'),
      scope('country', 30, 32, 'IT'),
    ],
    [
      'server: country, same share: the one with more networks down',
      probes(9, 9, { scope: 'country', countries: { FR: [3, 3], IT: [6, 6] } }),
      own('up'),
      scope('country', 6, 12, 'IT'),
    ],
    [
      'server: country, named but not listed: no counts',
      probes(31, 120, { scope: 'country', scopeCountry: 'IR', countries: { FR: [1, 60] } }),
      own('down'),
      scope('country', 0, 0, 'IR'),
    ],
    [
      'server: country, but none can be named: not a country',
      probes(0, 5, { scope: 'country', countries: { FR: [0, 5] } }),
      own('up'),
      scope('unknown', 0, 5),
    ],
    // Only this network: failing here, controls answer, others reach it.
    ['others reach it, none fail', probes(0, 120), own('down'), scope('network', 0, 120)],
    ['others reach it, two fail (this one and one more)', probes(2, 3), own('down'), scope('network', 2, 5)],
    [
      'server: none, others reach it',
      probes(1, 120, { scope: 'none' }),
      own('down'),
      scope('network', 1, 121),
    ],
    [
      'many reach it, a few broken networks elsewhere',
      probes(20, 120),
      own('down'),
      scope('network', 20, 140),
    ],
    ['exactly the fewest that reach it (3)', probes(0, 3), own('down'), scope('network', 0, 3)],
    ['too few reach it (2)', probes(0, 2), own('down'), scope('unknown', 0, 2)],
    ['three fail among few: a partial outage', probes(3, 5), own('down'), scope('unknown', 3, 8)],
    ['a fifth fail: a partial outage', probes(30, 120), own('down'), scope('unknown', 30, 150)],
    [
      'its own connection fails: cannot be "only this network"',
      probes(0, 120),
      own('down', false),
      scope('unknown', 0, 120),
    ],
    ['it answers here', probes(0, 120), own('up'), scope('unknown', 0, 120)],
    ['slow here', probes(0, 120), own('degraded'), scope('unknown', 0, 120)],
    ['offline here', probes(0, 120), own('unknown', false), scope('unknown', 0, 120)],
    ['nobody checks it', probes(0, 0), own('down'), scope('unknown', 0, 0)],
  ])('%s', (_name, p, view, expected) => {
    expect(crowdScope(p, view, T)).toEqual(expected);
  });

  // Until its post of a change lands, the feed still counts this network where it was: it is moved to
  // where its probes are now, never counted among "the others".
  it.each<[string, ServiceProbes, OwnView, CrowdScope]>([
    [
      'its earlier "up" is not a third network that reaches it',
      probes(0, 3),
      told('down', 'up'),
      scope('unknown', 1, 3),
    ],
    [
      'with many, one fewer reach it: 40 others, not 41',
      probes(0, 41),
      told('down', 'up'),
      scope('network', 1, 41),
    ],
    ['its "down" has landed: nothing moves', probes(1, 40), told('down', 'down'), scope('network', 1, 41)],
    ['the same word as now: nothing moves', probes(0, 41), told('up', 'up'), scope('unknown', 0, 41)],
    ['slow here is "up": nothing moves', probes(0, 41), told('degraded', 'up'), scope('unknown', 0, 41)],
    [
      'back here, its earlier "down" is not one more that fails',
      probes(37, 4, { scope: 'everyone' }),
      told('up', 'down'),
      scope('everyone', 36, 41),
    ],
    [
      'offline here: nothing known, nothing moves',
      probes(0, 41),
      told('unknown', 'up', false),
      scope('unknown', 0, 41),
    ],
    [
      'a feed older than its word (nobody up yet): nothing to move',
      probes(2, 0),
      told('down', 'up'),
      scope('unknown', 2, 2),
    ],
  ])('%s', (_name, p, view, expected) => {
    expect(crowdScope(p, view, T)).toEqual(expected);
  });

  it('takes its numbers from the thresholds (data, not code)', () => {
    const p = probes(0, 2);
    expect(crowdScope(p, own('down'), T)?.kind).toBe('unknown');
    expect(crowdScope(p, own('down'), { ...T, scopeMinUp: 2 })?.kind).toBe('network');
    expect(crowdScope(probes(5, 15), own('down'), T)?.kind).toBe('unknown');
    expect(crowdScope(probes(5, 15), own('down'), { ...T, scopeMaxDownShare: 0.3 })?.kind).toBe('network');
  });
});

describe('downCountries: "Italy, France, UK…"', () => {
  it.each<[string, ServiceProbes['countries'] | undefined, { codes: string[]; more: boolean }]>([
    ['none', undefined, { codes: [], more: false }],
    ['only countries where all reach it', { FR: [0, 9] }, { codes: [], more: false }],
    ['most down first', { FR: [4, 1], IT: [30, 2], GB: [9, 0] }, { codes: ['IT', 'GB', 'FR'], more: false }],
    [
      'three, and more after them',
      { FR: [4, 1], IT: [30, 2], GB: [9, 0], DE: [1, 9] },
      { codes: ['IT', 'GB', 'FR'], more: true },
    ],
    ['ties by code', { FR: [2, 0], DE: [2, 0] }, { codes: ['DE', 'FR'], more: false }],
  ])('%s', (_name, countries, expected) => {
    expect(downCountries(countries, 3)).toEqual(expected);
  });
});

describe('from the feed to the verdict and the badge', () => {
  const feed = (p: ServiceProbes | undefined) => feedWithProbes(p ?? null, T0);
  const check = (p: ServiceProbes | undefined, attempts = confirmedFailure(), controls = true) => {
    const signals = crowdSignals(
      { url: 'https://feed.example/v1/feed', etag: null, fetchedAt: T0, feed: feed(p), problem: null },
      ['whatsapp', 'telegram'],
    );
    const obs: CheckObservation = {
      connectivity: { onLine: true, controls: [{ id: 'gstatic', reachable: controls }], portal: 'ok' },
      probes: [
        { service: 'whatsapp', attempts },
        { service: 'telegram', attempts: [ok] },
      ],
      crowd: signals,
    };
    const state = decideCheck(INITIAL_STATE, obs, T0, T);
    const badge = badgeKind({
      state,
      primary: 'whatsapp',
      watched: ['whatsapp', 'telegram'],
      intervalSeconds: 60,
      now: T0,
      thresholds: T,
    });
    const s = state.services.whatsapp;
    return { status: s?.status, probeStatus: s?.probeStatus, cause: s?.cause, scope: s?.scope?.kind, badge };
  };

  it.each<[string, ServiceProbes | undefined, Parameters<typeof check>[1], ReturnType<typeof check>]>([
    [
      'fails here, 120 networks reach it: only this network, amber "?", never red',
      probes(1, 120),
      undefined,
      { status: 'degraded', probeStatus: 'down', cause: 'local', scope: 'network', badge: 'degraded' },
    ],
    [
      'fails here and for everyone: red',
      probes(37, 4, { scope: 'everyone', countries: { IT: [30, 2] } }),
      undefined,
      { status: 'down', probeStatus: 'down', cause: null, scope: 'everyone', badge: 'primary-down' },
    ],
    [
      'fails here and in one country: red (it is down from here)',
      probes(31, 120, { scope: 'country', scopeCountry: 'IT', countries: { IT: [30, 2] } }),
      undefined,
      { status: 'down', probeStatus: 'down', cause: null, scope: 'country', badge: 'primary-down' },
    ],
    [
      'answers here, everyone else fails: a possible outage, amber "?"',
      probes(37, 4, { scope: 'everyone' }),
      [ok],
      { status: 'degraded', probeStatus: 'up', cause: 'crowd', scope: 'everyone', badge: 'degraded' },
    ],
    [
      'answers here, down in one country: up here',
      probes(31, 120, { scope: 'country', scopeCountry: 'IT', countries: { IT: [30, 2] } }),
      [ok],
      { status: 'up', probeStatus: 'up', cause: null, scope: 'country', badge: 'quiet' },
    ],
    [
      'fails here, too few networks reach it to tell: down, red',
      probes(0, 2),
      undefined,
      { status: 'down', probeStatus: 'down', cause: null, scope: 'unknown', badge: 'primary-down' },
    ],
    [
      'fails here, the feed has no probes: down, red, no scope',
      undefined,
      undefined,
      { status: 'down', probeStatus: 'down', cause: null, scope: undefined, badge: 'primary-down' },
    ],
  ])('%s', (_name, p, attempts, expected) => {
    expect(check(p, attempts)).toEqual(expected);
  });

  it('does not call a failure "only this network" when its own controls fail (another app answered)', () => {
    expect(check(probes(0, 120), undefined, false)).toMatchObject({ status: 'down', scope: 'unknown' });
  });

  it('keeps what others see while this browser is offline, and says nothing of "only you"', () => {
    const signals = crowdSignals(
      {
        url: 'https://feed.example/v1/feed',
        etag: null,
        fetchedAt: T0,
        feed: feed(probes(37, 4, { scope: 'everyone' })),
        problem: null,
      },
      ['whatsapp'],
    );
    const offline: CheckObservation = {
      connectivity: { onLine: false, controls: [], portal: 'unchecked' },
      probes: [{ service: 'whatsapp', attempts: confirmedFailure() }],
      crowd: signals,
    };
    const s = decideCheck(INITIAL_STATE, offline, T0, T).services.whatsapp;
    expect(s).toMatchObject({ status: 'unknown', scope: { kind: 'everyone', down: 37, total: 41 } });
  });

  it('has no scope without a feed', () => {
    const obs: CheckObservation = {
      connectivity: { onLine: true, controls: [{ id: 'gstatic', reachable: true }], portal: 'ok' },
      probes: [{ service: 'whatsapp', attempts: confirmedFailure() }],
    };
    expect(decideCheck(INITIAL_STATE, obs, T0, T).services.whatsapp?.scope).toBeNull();
  });
});
