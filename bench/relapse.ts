import { CATALOG } from '../src/core/catalog';
import { createSimulation, healthyLatency, percentile, random } from './simulate';

/**
 * "Down, short recovery, down for good": a first fix that does not hold. WhatsApp fails for
 * `firstMs`, answers for `recoveryMs`, then fails until the end. With 30 s re-checks that is about
 * 3 checks down, 2 up, then down. Measured from a random moment of the check interval, like the
 * detection figures: how long each outage takes to turn the verdict down (the red badge), in seconds
 * and in checks (1 = the first check after the outage began).
 */
export async function relapseLatency(runs: number, seed = 3, firstMs = 100_000, recoveryMs = 90_000) {
  const rnd = random(seed);
  const host = new URL(CATALOG.whatsapp.probes[0].url).hostname;
  const first: number[] = [];
  const second: number[] = [];
  const firstChecks: number[] = [];
  const secondChecks: number[] = [];
  for (let i = 0; i < runs; i++) {
    let start = Number.POSITIVE_INFINITY;
    const failing = (now: number) =>
      now >= start && (now < start + firstMs || now >= start + firstMs + recoveryMs);
    const sim = createSimulation(
      (url, now) =>
        new URL(url).hostname === host && failing(now)
          ? { outcome: 'network', latencyMs: 20 + rnd() * 40 }
          : { outcome: 'ok', latencyMs: healthyLatency(rnd) },
      ['whatsapp', 'telegram', 'signal'],
    );
    sim.vt.advanceTo(1_000_000);
    let { nextAt } = await sim.check();
    start = sim.vt.now + rnd() * 60_000;
    const secondStart = start + firstMs + recoveryMs;
    let checksSinceFirst = 0;
    let checksSinceSecond = 0;
    let firstRed: number | null = null;
    for (;;) {
      sim.vt.advanceTo(nextAt);
      const checkStart = sim.vt.now;
      const r = await sim.check();
      nextAt = r.nextAt;
      const down = r.state.services.whatsapp?.status === 'down';
      if (checkStart >= start) checksSinceFirst++;
      if (checkStart >= secondStart) checksSinceSecond++;
      if (firstRed === null && down && checkStart < secondStart) {
        firstRed = sim.vt.now;
        first.push((sim.vt.now - start) / 1000);
        firstChecks.push(checksSinceFirst);
      }
      if (checkStart >= secondStart && down) {
        second.push((sim.vt.now - secondStart) / 1000);
        secondChecks.push(checksSinceSecond);
        break;
      }
    }
  }
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const s1 = sorted(first);
  const s2 = sorted(second);
  const c1 = sorted(firstChecks);
  const c2 = sorted(secondChecks);
  return {
    firstMedian: percentile(s1, 50),
    firstP95: percentile(s1, 95),
    firstChecksMax: c1.at(-1) ?? Number.NaN,
    secondMedian: percentile(s2, 50),
    secondP95: percentile(s2, 95),
    secondChecksMedian: percentile(c2, 50),
    secondChecksMax: c2.at(-1) ?? Number.NaN,
  };
}
