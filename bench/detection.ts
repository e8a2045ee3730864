import { CATALOG } from '../src/core/catalog';
import { createSimulation, healthyLatency, percentile, random } from './simulate';

/**
 * Detection latency of a hard outage: every probe of WhatsApp fails from a random moment on. The
 * outage may fail fast (DNS gone, connection refused: Meta 2021) or hang until the timeout.
 */
export async function detectionLatency(outages: number, failure: 'network' | 'hang', seed = 1) {
  const rnd = random(seed);
  const whatsappHost = new URL(CATALOG.whatsapp.probes[0].url).hostname;
  const latencies: number[] = [];
  for (let i = 0; i < outages; i++) {
    let outageStart = Number.POSITIVE_INFINITY;
    const sim = createSimulation(
      (url, now) =>
        new URL(url).hostname === whatsappHost && now >= outageStart
          ? { outcome: failure, latencyMs: 20 + rnd() * 40 }
          : { outcome: 'ok', latencyMs: healthyLatency(rnd) },
      ['whatsapp', 'telegram', 'signal'],
    );
    sim.vt.advanceTo(1_000_000);
    let { nextAt } = await sim.check();
    // The outage begins at a uniformly random moment of the check interval.
    outageStart = sim.vt.now + rnd() * 60_000;
    for (;;) {
      sim.vt.advanceTo(nextAt);
      const r = await sim.check();
      nextAt = r.nextAt;
      if (r.state.services.whatsapp?.status === 'down') {
        latencies.push((sim.vt.now - outageStart) / 1000);
        break;
      }
    }
  }
  latencies.sort((a, b) => a - b);
  return {
    median: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    max: latencies.at(-1) ?? Number.NaN,
  };
}
