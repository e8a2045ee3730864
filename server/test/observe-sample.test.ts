import { describe, expect, it } from 'vitest';
import { MINUTE_MS, nextSample, type ObserveMinute, SAMPLING } from '../core/observe-sample';
import { T0 } from './helpers';

const NOW = T0 + 30 * MINUTE_MS + 20_000;
const TARGET = 6000;
const LONG_AGO = T0 - 24 * 60 * MINUTE_MS;

/** The last `n` complete minutes before NOW, each with `observations`, the sample published in each. */
function minutes(n: number, observations: number, sample: number | null): ObserveMinute[] {
  const now = NOW - (NOW % MINUTE_MS);
  return Array.from({ length: n }, (_, i) => ({ minute: now - (i + 1) * MINUTE_MS, observations, sample }));
}
const next = (log: readonly ObserveMinute[], countingSince = LONG_AGO, target = TARGET): number =>
  nextSample({ now: NOW, minutes: log, target, countingSince });

describe('the sample the feed asks for', () => {
  it('has the documented defaults', () => {
    expect(SAMPLING).toEqual({
      minSample: 0.001,
      maxRise: 2,
      windowMinutes: 5,
      followMinutes: 1,
      hysteresis: 0.1,
      digits: 2,
    });
  });

  // [case, minutes in the log, expected sample]
  it.each<[string, ObserveMinute[], number]>([
    ['nothing known: everyone', [], 1],
    ['at the target under 1: stays 1', minutes(8, 6000, 1), 1],
    ['twice the target under 1: half', minutes(8, 12_000, 1), 0.5],
    ['ten times the target under 1: a tenth', minutes(8, 60_000, 1), 0.1],
    ['ten times the target under 0.1: a hundredth', minutes(8, 60_000, 0.1), 0.01],
    ['a flood: never below 0.001', minutes(8, 1e12, 1), 0.001],
    ['half the target under 0.1: doubles, at most', minutes(8, 3000, 0.1), 0.2],
    ['a tenth of the target under 0.1: still only doubles', minutes(8, 600, 0.1), 0.2],
    ['nothing sent under 0.1: doubles', minutes(8, 0, 0.1), 0.2],
    ['nothing sent under 0.6: back to 1', minutes(8, 0, 0.6), 1],
    ['5 % over the target: kept (hysteresis)', minutes(8, 6300, 0.4), 0.4],
    ['15 % over the target: lowered', minutes(8, 6900, 0.4), 0.35],
  ])('%s', (_, log, expected) => {
    expect(next(log)).toBe(expected);
  });

  it('judges the load by the samples browsers followed, not the one just published (no windup)', () => {
    // Ten times the target under 1 for five minutes; the server published 0.1 this very minute and the
    // last one: the load measured is still the old one's, and the sample stays 0.1, not 0.01.
    const now = NOW - (NOW % MINUTE_MS);
    const log = minutes(8, 60_000, 1).map((m) => (m.minute === now - MINUTE_MS ? { ...m, sample: 0.1 } : m));
    log.push({ minute: now, observations: 0, sample: 0.1 });
    expect(next(log)).toBe(0.1);
  });

  it('measures only the minutes since the store began counting', () => {
    // Two minutes of 12,000 each since the start: twice the target, not 2/5 of it.
    expect(next(minutes(2, 12_000, null), NOW - 2 * MINUTE_MS - 5000)).toBe(0.5);
    expect(next(minutes(2, 12_000, null), NOW)).toBe(1);
  });

  it('settles a crowd ten times the target near 0.1 without falling far below it, refreshed every 5 s', () => {
    // Browsers follow a published sample one minute later; the crowd sends 60,000 a minute at sample 1.
    const log = new Map<number, { observations: number; sample: number | null }>();
    const sampleAt = (minute: number): number => {
      let value = 1;
      for (const [m, row] of [...log].sort((a, b) => a[0] - b[0]))
        if (m <= minute && row.sample !== null) value = row.sample;
      return value;
    };
    const start = T0;
    const seen: number[] = [];
    for (let t = start; t < start + 30 * MINUTE_MS; t += 5000) {
      const minute = t - (t % MINUTE_MS);
      if (!log.has(minute))
        log.set(minute, { observations: 60_000 * sampleAt(minute - MINUTE_MS), sample: null });
      const rows = [...log].map(([m, row]) => ({ minute: m, ...row }));
      const sample = nextSample({
        now: t,
        minutes: rows,
        target: TARGET,
        countingSince: start - 60 * MINUTE_MS,
      });
      (log.get(minute) as { sample: number | null }).sample = sample;
      seen.push(sample);
    }
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(0.09);
    expect(seen.slice(-60).every((s) => s >= 0.09 && s <= 0.11)).toBe(true);
  });
});
