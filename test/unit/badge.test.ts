import { describe, expect, it } from 'vitest';
import { BADGE_STYLES, type BadgeInput, type BadgeKind, badgeKind } from '../../src/core/badge';
import { badgeTitle } from '../../src/core/badge-title';
import type { CrowdScope } from '../../src/core/scope';
import {
  type DegradedCause,
  INITIAL_STATE,
  type MonitorState,
  type ServiceState,
  type Status,
} from '../../src/core/types';
import { MIN, serviceState, T, T0, t } from './helpers';

function input(
  statuses: Partial<Record<'whatsapp' | 'telegram' | 'signal', Status>>,
  extra: Partial<MonitorState> = {},
): BadgeInput {
  const services = Object.fromEntries(
    Object.entries(statuses).map(([id, status]) => [id, serviceState({ status, since: T0 - 12 * MIN })]),
  );
  return {
    state: { ...INITIAL_STATE, checkedAt: T0 - 10_000, services, ...extra },
    primary: 'whatsapp',
    watched: ['whatsapp', 'telegram', 'signal'],
    intervalSeconds: 60,
    now: T0,
    thresholds: T,
  };
}

/** The same input with the flap flag on for one service (it keeps its status). */
function flapping(i: BadgeInput, id: 'whatsapp' | 'telegram' | 'signal'): BadgeInput {
  const s = i.state.services[id] as ServiceState;
  return { ...i, state: { ...i.state, services: { ...i.state.services, [id]: { ...s, unstable: true } } } };
}

describe('badge states (contract §3)', () => {
  it.each<[string, BadgeInput, BadgeKind]>([
    ['everything up → quiet', input({ whatsapp: 'up', telegram: 'up', signal: 'up' }), 'quiet'],
    ['primary down → red', input({ whatsapp: 'down', telegram: 'up', signal: 'up' }), 'primary-down'],
    [
      'primary down beats another down',
      input({ whatsapp: 'down', telegram: 'down', signal: 'up' }),
      'primary-down',
    ],
    ['another down → amber', input({ whatsapp: 'up', telegram: 'down', signal: 'up' }), 'other-down'],
    ['another down beats degraded', input({ whatsapp: 'degraded', telegram: 'down' }), 'other-down'],
    ['primary degraded → amber "?"', input({ whatsapp: 'degraded', telegram: 'up' }), 'degraded'],
    [
      'primary down while flapping → red: flapping is a flag, not a status',
      flapping(input({ whatsapp: 'down', telegram: 'up' }), 'whatsapp'),
      'primary-down',
    ],
    [
      'primary up while flapping → amber "?"',
      flapping(input({ whatsapp: 'up', telegram: 'up' }), 'whatsapp'),
      'degraded',
    ],
    [
      'another down while flapping → amber "•"',
      flapping(input({ whatsapp: 'up', telegram: 'down' }), 'telegram'),
      'other-down',
    ],
    [
      'another up while flapping → amber "?"',
      flapping(input({ whatsapp: 'up', telegram: 'up' }), 'telegram'),
      'degraded',
    ],
    ['offline → grey', input({ whatsapp: 'unknown' }, { connectivity: 'offline' }), 'offline'],
    [
      'captive portal → grey like offline',
      input({ whatsapp: 'unknown' }, { connectivity: 'captive' }),
      'offline',
    ],
    ['not checked yet → stale', input({}, { checkedAt: null }), 'stale'],
    [
      'old red results → stale, never a stuck red badge',
      input({ whatsapp: 'down' }, { checkedAt: T0 - 3 * 60 * MIN }),
      'stale',
    ],
    ['stale beats offline', input({}, { connectivity: 'offline', checkedAt: T0 - 3 * 60 * MIN }), 'stale'],
  ])('%s', (_name, badgeInput, kind) => {
    expect(badgeKind(badgeInput)).toBe(kind);
  });

  it.each<[string, Status, DegradedCause | null, CrowdScope['kind'], BadgeKind]>([
    [
      'only this network fails to reach the main app → amber "?", never red',
      'degraded',
      'local',
      'network',
      'degraded',
    ],
    [
      'only this network fails to reach another app → amber "?", not "•"',
      'degraded',
      'local',
      'network',
      'degraded',
    ],
    ['the main app down here and for everyone → red', 'down', null, 'everyone', 'primary-down'],
    ['the main app down here and in one country → red', 'down', null, 'country', 'primary-down'],
    ['the main app answers, everyone else fails → amber "?"', 'degraded', 'crowd', 'everyone', 'degraded'],
  ])('%s', (name, status, cause, kind, expected) => {
    const id = name.includes('another') ? 'telegram' : 'whatsapp';
    const i = input({ whatsapp: 'up', telegram: 'up' });
    const scope = { kind, country: kind === 'country' ? 'IT' : null, down: 37, total: 41 };
    const s = { ...(i.state.services[id] as ServiceState), status, cause, scope };
    expect(badgeKind({ ...i, state: { ...i.state, services: { ...i.state.services, [id]: s } } })).toBe(
      expected,
    );
  });

  it('gives every non-quiet state its own text, so colour is never the only cue', () => {
    const texts = Object.entries(BADGE_STYLES)
      .filter(([kind]) => kind !== 'quiet')
      .map(([, s]) => s.text);
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts.every((x) => x.length > 0)).toBe(true);
    expect(BADGE_STYLES.quiet.text).toBe('');
    expect(BADGE_STYLES['primary-down'].color).not.toBe(BADGE_STYLES['other-down'].color);
    expect(BADGE_STYLES['other-down'].color).toBe(BADGE_STYLES.degraded.color);
    expect(BADGE_STYLES.offline.color).toBe(BADGE_STYLES.stale.color);
  });
});

describe('badge title', () => {
  const title = (i: BadgeInput) => badgeTitle(i, badgeKind(i), t, 'en', []);
  it.each<[string, BadgeInput, string]>([
    [
      'primary down',
      input({ whatsapp: 'down', telegram: 'up', signal: 'up' }),
      'WhatsApp: down for 12 min · Telegram and Signal: up',
    ],
    [
      'all up',
      input({ whatsapp: 'up', telegram: 'up', signal: 'up' }),
      'WhatsApp: up · Telegram and Signal: up',
    ],
    [
      'another down',
      input({ whatsapp: 'up', telegram: 'down', signal: 'up' }),
      'WhatsApp: up · Telegram: down for 12 min · Signal: up',
    ],
    [
      'degraded',
      input({ whatsapp: 'degraded', telegram: 'up', signal: 'up' }),
      'WhatsApp: unstable for 12 min · Telegram and Signal: up',
    ],
    ['offline', input({}, { connectivity: 'offline' }), 'You are offline, so WhatsApp cannot be checked'],
    [
      'captive',
      input({}, { connectivity: 'captive' }),
      'Behind a Wi-Fi login page, so WhatsApp cannot be checked',
    ],
    ['not checked', input({}, { checkedAt: null }), 'Detour: checking WhatsApp…'],
  ])('%s', (_name, i, expected) => {
    expect(title(i)).toBe(expected);
  });

  it.each<[string, DegradedCause, string]>([
    ['many reports while it answers', 'crowd', 'WhatsApp: possible outage for 12 min'],
    ['an official minor incident', 'official', 'WhatsApp: unstable for 12 min'],
    ['slow', 'slow', 'WhatsApp: unstable for 12 min'],
    [
      'failing only from this network while others reach it',
      'local',
      'WhatsApp: not reachable from this network for 12 min; other networks reach it',
    ],
  ])('words a degraded service by its cause: %s', (_name, cause, phrase) => {
    const i = {
      ...input({ whatsapp: 'degraded', telegram: 'up' }),
      watched: ['whatsapp', 'telegram'] as const,
    };
    const whatsapp = { ...(i.state.services.whatsapp as ServiceState), cause };
    const state = { ...i.state, services: { ...i.state.services, whatsapp } };
    expect(title({ ...i, state })).toBe(`${phrase} · Telegram: up`);
    const other = { ...i, primary: 'telegram' as const, state };
    expect(badgeTitle(other, badgeKind(other), t, 'en', [])).toBe(`Telegram: up · ${phrase}`);
  });

  it.each<[string, BadgeInput, string]>([
    [
      'the primary down while flapping says down',
      flapping(input({ whatsapp: 'down', telegram: 'up', signal: 'up' }), 'whatsapp'),
      'WhatsApp: down for 12 min · Telegram and Signal: up',
    ],
    [
      'the primary up while flapping says unstable',
      flapping(input({ whatsapp: 'up', telegram: 'up', signal: 'up' }), 'whatsapp'),
      'WhatsApp: unstable · Telegram and Signal: up',
    ],
    [
      'another app up while flapping gets its own phrase',
      flapping(input({ whatsapp: 'up', telegram: 'up', signal: 'up' }), 'telegram'),
      'WhatsApp: up · Telegram: unstable · Signal: up',
    ],
  ])('words flapping: %s', (_name, i, expected) => {
    expect(title(i)).toBe(expected);
  });

  it('names the time of the last check when stale', () => {
    expect(title(input({ whatsapp: 'down' }, { checkedAt: T0 - 3 * 60 * MIN }))).toMatch(
      /^WhatsApp: last checked at \d{1,2}:\d\d( [AP]M)?, results out of date$/,
    );
  });

  it('gives long outages in hours and minutes', () => {
    const i = input({ whatsapp: 'down' });
    const long = { ...i, now: T0 + (2 * 60 + 3 - 12) * MIN };
    expect(badgeTitle(long, 'primary-down', t, 'en', [])).toMatch(/^WhatsApp: down for 2 h 3 min/);
  });
});
