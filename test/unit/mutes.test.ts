import { describe, expect, it } from 'vitest';
import { type BadgeKind, badgeKind } from '../../src/core/badge';
import {
  isMuted,
  liveMutes,
  MUTE_MS,
  type Mute,
  type MuteFor,
  mutedIds,
  muteFor,
  readMutes,
} from '../../src/core/mutes';
import type { ServiceId } from '../../src/core/services';
import { INITIAL_STATE, type MonitorState, type Status } from '../../src/core/types';
import { isRequest } from '../../src/shared/request-guard';
import { MIN, serviceState, T, T0 } from './helpers';

const HOUR = 60 * MIN;
/** A state where each app has had its status since that many minutes after T0. */
function state(services: Partial<Record<ServiceId, [Status, number]>>): MonitorState {
  const entries = Object.entries(services).map(([id, seen]) => {
    const [status, at] = seen as [Status, number];
    return [id, serviceState({ status, since: T0 + at * MIN })];
  });
  return { ...INITIAL_STATE, checkedAt: T0, services: Object.fromEntries(entries) };
}

describe('mutes expire by themselves', () => {
  it.each<[string, MuteFor, MonitorState, number, boolean]>([
    ['1 h, half an hour later', '1h', state({ whatsapp: ['down', -5] }), 30, true],
    ['1 h, an hour later', '1h', state({ whatsapp: ['down', -5] }), 60, false],
    ['4 h, three hours later', '4h', state({ whatsapp: ['down', -5] }), 180, true],
    ['4 h, four hours later', '4h', state({ whatsapp: ['down', -5] }), 240, false],
    ['until back, still down', 'until-back', state({ whatsapp: ['down', -5] }), 300, true],
    ['until back, up again since', 'until-back', state({ whatsapp: ['up', 40] }), 41, false],
    // Muted while up: it holds through the next outage and ends when that one is over.
    ['until back, muted while up and still up', 'until-back', state({ whatsapp: ['up', -5] }), 10, true],
    ['until back, a week later at most', 'until-back', state({ whatsapp: ['down', -5] }), 168 * 60, false],
    ['a mute from the future (a clock set back)', '1h', state({ whatsapp: ['down', -5] }), -10, false],
  ])('%s', (_name, kind, s, minutes, muted) => {
    const mute = muteFor(kind, T0);
    expect(isMuted(mute, s, 'whatsapp', T0 + minutes * MIN)).toBe(muted);
  });

  it('lasts one hour, four hours, or a week at most for "until back"', () => {
    expect(MUTE_MS).toEqual({ '1h': HOUR, '4h': 4 * HOUR, 'until-back': 168 * HOUR });
  });

  it('keeps only the mutes in force when one is written', () => {
    const mutes = { whatsapp: muteFor('1h', T0), telegram: muteFor('4h', T0) };
    const s = state({ whatsapp: ['down', 0], telegram: ['down', 0] });
    expect(liveMutes(mutes, s, T0 + 2 * HOUR)).toEqual({ telegram: mutes.telegram });
    expect(mutedIds(mutes, s, T0 + MIN)).toEqual(['whatsapp', 'telegram']);
  });

  it("mutes one of the user's own apps like a catalog app", () => {
    const mutes = { 'custom-intranet': muteFor('4h', T0) };
    const s = state({ 'custom-intranet': ['down', 0] });
    expect(mutedIds(mutes, s, T0 + MIN)).toEqual(['custom-intranet']);
    expect(readMutes(JSON.parse(JSON.stringify(mutes)))).toEqual(mutes);
  });
});

describe('mutes read from storage', () => {
  const good: Mute = { since: T0, until: T0 + HOUR, untilBack: false };
  it.each<[string, unknown, object]>([
    ['nothing stored', undefined, {}],
    ['not an object', 'x', {}],
    ['a good mute', { whatsapp: good }, { whatsapp: good }],
    ['an unknown app is dropped', { nope: good, whatsapp: good }, { whatsapp: good }],
    ['a bad entry is dropped alone', { whatsapp: good, telegram: { since: 'x' } }, { whatsapp: good }],
    ['untilBack must be true or false', { whatsapp: { ...good, untilBack: 1 } }, {}],
    ["one of the user's own apps is kept", { 'custom-intranet': good }, { 'custom-intranet': good }],
    ['a mute that ends before it starts is dropped', { whatsapp: { ...good, until: T0 - 1 } }, {}],
    ['a mute longer than a week is dropped', { whatsapp: { ...good, until: T0 + 169 * HOUR } }, {}],
  ])('%s', (_name, raw, expected) => {
    expect(readMutes(raw)).toEqual(expected);
  });
});

describe('the badge leaves muted apps out', () => {
  const s = (whatsapp: Status, telegram: Status): MonitorState => ({
    ...state({ whatsapp: [whatsapp, -5], telegram: [telegram, -5], signal: ['up', -5] }),
    checkedAt: T0 - 10_000,
  });
  it.each<[string, MonitorState, ServiceId[], BadgeKind]>([
    ['primary down, not muted → red', s('down', 'up'), [], 'primary-down'],
    ['primary down and muted → quiet', s('down', 'up'), ['whatsapp'], 'quiet'],
    ['primary muted, another down → amber', s('down', 'down'), ['whatsapp'], 'other-down'],
    ['the other down is muted → primary still red', s('down', 'down'), ['telegram'], 'primary-down'],
    ['both muted → quiet', s('down', 'down'), ['whatsapp', 'telegram'], 'quiet'],
    ['a muted slow app → no amber', s('up', 'degraded'), ['telegram'], 'quiet'],
  ])('%s', (_name, st, muted, kind) => {
    expect(
      badgeKind({
        state: st,
        primary: 'whatsapp',
        watched: ['whatsapp', 'telegram', 'signal'],
        intervalSeconds: 60,
        now: T0,
        thresholds: T,
        muted,
      }),
    ).toBe(kind);
  });
});

describe('the mute action as it arrives in the background', () => {
  it.each<[unknown, boolean]>([
    [{ type: 'mute', service: 'whatsapp', for: '1h' }, true],
    [{ type: 'mute', service: 'whatsapp', for: 'until-back' }, true],
    [{ type: 'mute', service: 'whatsapp', for: null }, true],
    [{ type: 'mute', service: 'whatsapp', for: '2h' }, false],
    [{ type: 'mute', service: 'nope', for: '1h' }, false],
    [{ type: 'mute', service: 'whatsapp' }, false],
  ])('%j → %s', (message, ok) => {
    expect(isRequest(message)).toBe(ok);
  });
});
