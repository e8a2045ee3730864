import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEFAULT_SETTINGS } from '../src/core/settings';
import { staticClosure } from './popup';
import { createSimulation, healthyLatency, random } from './simulate';

/**
 * Steady-state cost of the default watched set: requests per hour come from running the real check
 * code for a simulated hour. Request bytes: the HEAD that Chromium 156 sends from the service worker,
 * measured on the e2e fake internet at 397–410 bytes of HTTP/1.1 headers. Response bytes: an
 * allowance of 700 bytes of headers per answer (a 204 from a control is ~200 bytes; big sites send
 * more), an assumption, since the real services cannot be reached here. Both are upper bounds for
 * HTTP/2, whose header compression makes a repeated request on a reused connection a few dozen
 * bytes; TLS handshakes are not counted.
 */
export const REQUEST_HEADER_BYTES = 410;
export const RESPONSE_HEADER_BYTES = 700;

export async function steadyStateCost() {
  const rnd = random(3);
  const sim = createSimulation(
    () => ({ outcome: 'ok', latencyMs: healthyLatency(rnd) }),
    DEFAULT_SETTINGS.watched,
  );
  let nextAt = 0;
  const hour = 60 * 60_000;
  while (sim.vt.now < hour) {
    sim.vt.advanceTo(nextAt);
    nextAt = (await sim.check()).nextAt;
  }
  const requestsPerHour = sim.requests;
  return {
    requestsPerHour,
    requestBytesPerHour: requestsPerHour * REQUEST_HEADER_BYTES,
    bytesPerHour: requestsPerHour * (REQUEST_HEADER_BYTES + RESPONSE_HEADER_BYTES),
  };
}

/** The built service worker and every chunk it imports, gzipped. */
export function serviceWorkerGzipBytes(dist = 'dist/chrome'): number | null {
  try {
    const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as {
      background: { service_worker: string };
    };
    const files = staticClosure([resolve(dist, manifest.background.service_worker)], resolve(dist));
    return files.reduce((sum, f) => sum + gzipSync(readFileSync(join(dist, f))).length, 0);
  } catch {
    return null;
  }
}
