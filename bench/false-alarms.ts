import type { ServiceId } from '../src/core/services';
import type { Status } from '../src/core/types';
import { createSimulation, healthyLatency, random } from './simulate';

/**
 * A simulated week with no real outage, where 5 % of all probe attempts fail at random (lost packets,
 * a flaky Wi-Fi). Counts "down" verdicts (transitions into down) next to a naive prober that makes one
 * attempt per check and calls one failure "down".
 */
export async function falseAlarms(failureRate: number, days: number, seed = 7) {
  const rnd = random(seed);
  const watched: ServiceId[] = ['whatsapp', 'telegram', 'signal'];
  const sim = createSimulation(
    () =>
      rnd() < failureRate
        ? { outcome: 'network', latencyMs: 30 }
        : { outcome: 'ok', latencyMs: healthyLatency(rnd) },
    watched,
  );
  const end = days * 24 * 60 * 60_000;
  const last: Partial<Record<ServiceId, Status>> = {};
  const wasUnstable: Partial<Record<ServiceId, boolean>> = {};
  let down = 0;
  let degraded = 0;
  let offline = 0;
  let checks = 0;
  let nextAt = 0;
  let wasOffline = false;
  while (sim.vt.now < end) {
    sim.vt.advanceTo(nextAt);
    const r = await sim.check();
    checks++;
    nextAt = r.nextAt;
    if (r.state.connectivity !== 'online' && !wasOffline) offline++;
    wasOffline = r.state.connectivity !== 'online';
    for (const id of watched) {
      const s = r.state.services[id];
      const status = s?.status;
      if (status === 'down' && last[id] !== 'down') down++;
      // "Unstable": degraded, or flagged as going up and down (a flag beside up or down).
      const unstable = status === 'degraded' || s?.unstable === true;
      if (unstable && !wasUnstable[id]) degraded++;
      wasUnstable[id] = unstable;
      if (status) last[id] = status;
    }
  }
  // The naive prober: one attempt per service per minute, a failure is "down".
  const naiveRnd = random(seed + 1);
  let naive = 0;
  const minutes = days * 24 * 60;
  for (const _ of watched) {
    let wasDown = false;
    for (let m = 0; m < minutes; m++) {
      const failed = naiveRnd() < failureRate;
      if (failed && !wasDown) naive++;
      wasDown = failed;
    }
  }
  return { down, degraded, offline, naive, checks, requests: sim.requests };
}
