// The share of opted-in browsers asked to send observations (`observe.sample` in the feed), set from the
// load the store measured, as a pure function: no I/O, no clock. Every instance on one database reads the
// same minutes (observations counted and the sample published in each) and so publishes the same sample.
// Plain words and the reasons for each number: server/ALGORITHM.md, section 13.

export const MINUTE_MS = 60_000;

/** One minute of the store's observation log. */
export interface ObserveMinute {
  /** Start of the minute, ms since the epoch. */
  readonly minute: number;
  /** Observations counted in it (by every instance). */
  readonly observations: number;
  /** The sample published in it (the last one written), or null when none was. */
  readonly sample: number | null;
}

export interface SamplingConfig {
  /** The least share ever asked: a feed never goes silent, whatever the load. */
  readonly minSample: number;
  /** The most the sample grows in one step (one feed refresh): back up gradually, not in one jump. */
  readonly maxRise: number;
  /** The load is measured over this many complete minutes. */
  readonly windowMinutes: number;
  /** How long browsers take to follow a new sample (they read the feed about once a minute). */
  readonly followMinutes: number;
  /** A change smaller than this share of the current sample is not made (a stable document and ETag). */
  readonly hysteresis: number;
  /** Significant digits published. */
  readonly digits: number;
}

export const SAMPLING: SamplingConfig = Object.freeze({
  minSample: 0.001,
  maxRise: 2,
  windowMinutes: 5,
  followMinutes: 1,
  hysteresis: 0.1,
  digits: 2,
});

export const minuteStart = (t: number): number => t - (((t % MINUTE_MS) + MINUTE_MS) % MINUTE_MS);

export interface SampleInput {
  readonly now: number;
  /** The store's minutes, any order; those older than the window and the follow time are not read. */
  readonly minutes: readonly ObserveMinute[];
  /** Observations per minute wanted, across all instances. */
  readonly target: number;
  /** When the store began counting: minutes before it are unknown, not idle. */
  readonly countingSince: number;
}

/**
 * The next sample. The load measured over the last `windowMinutes` complete minutes (observations a
 * minute) was sent under the samples published `followMinutes` earlier, on average `effective`; the whole
 * crowd would send `load / effective`, so the sample that brings it to `target` is
 * `effective × target / load`: clamped to [minSample, 1], at most `maxRise` × the current one, kept when
 * the change is within `hysteresis`, and rounded to `digits` significant digits. No load measured: rise
 * towards 1. No minute known yet: 1.
 */
export function nextSample(input: SampleInput, config: SamplingConfig = SAMPLING): number {
  const now = minuteStart(input.now);
  const published = [...input.minutes]
    .filter((m) => m.sample !== null && Number.isFinite(m.sample))
    .sort((a, b) => a.minute - b.minute);
  /** The sample in force at minute `t`: the last published at or before it; 1 before any. */
  const sampleAt = (t: number): number => {
    let value = 1;
    for (const m of published) {
      if (m.minute > t) break;
      value = m.sample as number;
    }
    return value;
  };
  const clamp = (s: number): number => Math.min(1, Math.max(config.minSample, s));
  const current = clamp(sampleAt(now));
  const counted = new Map<number, number>();
  for (const m of input.minutes) {
    if (Number.isFinite(m.observations) && m.observations > 0) {
      counted.set(m.minute, (counted.get(m.minute) ?? 0) + m.observations);
    }
  }
  let minutes = 0;
  let observations = 0;
  let effective = 0;
  for (let k = 1; k <= config.windowMinutes; k++) {
    const minute = now - k * MINUTE_MS;
    if (minute < minuteStart(input.countingSince)) break;
    minutes++;
    observations += counted.get(minute) ?? 0;
    effective += sampleAt(minute - config.followMinutes * MINUTE_MS);
  }
  if (minutes === 0) return current;
  const load = observations / minutes;
  const wanted = load > 0 ? ((effective / minutes) * input.target) / load : 1;
  const next = Math.min(clamp(wanted), current * config.maxRise);
  if (Math.abs(next - current) <= config.hysteresis * current) return current;
  return clamp(Number(next.toPrecision(config.digits)));
}
