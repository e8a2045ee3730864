import { describe, expect, it } from 'vitest';
import { appendHistory, HISTORY_BUCKET_MS, HISTORY_MAX_BUCKETS } from '../../src/core/history';
import { readHistory, readMonitorState } from '../../src/core/stored';
import { INITIAL_STATE, type MonitorState } from '../../src/core/types';
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

  it('drops corrupt history buckets and keeps good ones', () => {
    const h = readHistory({
      whatsapp: [{ t: T0, s: 'up', l: 100, n: 1, ln: 1 }, { t: 'x' }],
      telegram: 'nope',
    });
    expect(h).toEqual({ whatsapp: [{ t: T0, s: 'up', l: 100, n: 1, ln: 1 }] });
    expect(readHistory(null)).toEqual({});
  });
});

describe('history', () => {
  const stateAt = (status: 'up' | 'down', latencyMs: number | null): MonitorState => ({
    ...good,
    services: { whatsapp: serviceState({ status, latencyMs }) },
  });

  it('merges checks of one 5-minute bucket: worst status, mean latency', () => {
    const start = T0 - (T0 % HISTORY_BUCKET_MS);
    let h = appendHistory({}, stateAt('up', 100), start + 1000);
    h = appendHistory(h, stateAt('up', 200), start + 2000);
    h = appendHistory(h, stateAt('down', null), start + 3000);
    expect(h.whatsapp).toEqual([{ t: start, s: 'down', l: 150, n: 3, ln: 2 }]);
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
