import { DEFAULT_SETTINGS } from '../src/core/settings';
import { DEFAULT_OBSERVE_HINTS } from '../src/shared/feed';
import { REQUEST_HEADER_BYTES, RESPONSE_HEADER_BYTES } from './cost';
import { CROWD_FEED } from './crowd-run';
import { healthyLatency, type NetworkModel, random, SIM_EPOCH, virtualFetch } from './simulate';
import { virtualBrowser, withFeed } from './virtual-browser';
import { VirtualTime } from './virtual-time';

/**
 * What sharing observations adds, per browser: the background's own runner (src/background/checker.ts:
 * the step, the post after the save, the one-shot wake-up for a post due before the next check) on the
 * virtual clock, against a feed that takes every post (202) and asks for the default hints (everyone,
 * spread over 60 s). Chrome fires an alarm 30 s after it is set at the soonest: so does the wake-up here.
 *
 * Bytes on the wire, as Chromium 156 sends them from the service worker (measured by the recording
 * proxy in test/e2e/observations.test.ts): each post needs a CORS preflight (JSON), and Chromium asked
 * again before every post, the feed's Access-Control-Max-Age notwithstanding, so both are counted.
 * Answers get the same 700-byte header allowance as the probes' (cost.ts), plus the answer's body.
 */
export const OBSERVATION_POST_HEADER_BYTES = 522;
export const OBSERVATION_PREFLIGHT_HEADER_BYTES = 555;
export const ANSWER_BODY_BYTES = Buffer.byteLength('{"counted":true}');

const MIN = 60_000;
const HOUR = 60 * MIN;

export interface ObservationHour {
  /** Observation posts (each with its preflight). */
  readonly posts: number;
  readonly requests: number;
  readonly requestBytes: number;
  /** Requests and answers, answers at the header allowance (an upper bound, as for the probes). */
  readonly bytes: number;
  /** Body bytes of the largest post. */
  readonly largestBody: number;
  /** The probes' own cost in the same hour (the checks' requests, as cost.ts counts them). */
  readonly probeRequests: number;
  readonly probeBytes: number;
}

/**
 * One simulated hour of a browser that shares, after an hour of warming up (the first post after
 * turning sharing on is not steady state). `outage`: WhatsApp fails for 20 minutes in the middle of
 * the measured hour, a change and its recovery.
 */
export async function observationHour(outage: boolean): Promise<ObservationHour> {
  const vt = new VirtualTime();
  const rnd = random(outage ? 12 : 11);
  const down = (url: string, now: number) =>
    outage && now >= HOUR + 20 * MIN && now < HOUR + 40 * MIN && new URL(url).hostname === 'web.whatsapp.com';
  const model: NetworkModel = (url, now) =>
    down(url, now)
      ? { outcome: 'network', latencyMs: 30 }
      : { outcome: 'ok', latencyMs: healthyLatency(rnd) };
  const measuring = () => vt.now >= HOUR;
  let probeRequests = 0;
  const bodies: string[] = [];
  const probes = virtualFetch(vt, model, () => {
    if (measuring()) probeRequests++;
  });
  const feed = async (path: string, init: RequestInit | undefined) => {
    if (path === '/v1/observations') {
      if (measuring()) bodies.push(String(init?.body));
      return new Response('{"counted":true}', { status: 202 });
    }
    // The feed document: read with or without sharing, so not part of what sharing adds.
    const doc = { version: 1, generatedAt: new Date(SIM_EPOCH + vt.now).toISOString(), bucketMinutes: 15 };
    return new Response(JSON.stringify({ ...doc, services: {}, observe: DEFAULT_OBSERVE_HINTS }));
  };
  const browser = virtualBrowser({
    vt,
    fetch: withFeed(vt, CROWD_FEED, feed, probes),
    settings: { ...DEFAULT_SETTINGS, feedUrl: CROWD_FEED, shareObservations: true },
    identity: {
      clientId: async () => 'k3J9x0Qe-7YpLm2Z0123ab',
      languages: () => ['it-IT'],
      sampleDraw: async () => 0.5,
    },
    random: rnd,
  });
  browser.start(0);
  await vt.run(vt.sleep(2 * HOUR));
  const posts = bodies.length;
  const bodyBytes = bodies.reduce((sum, body) => sum + Buffer.byteLength(body), 0);
  const requestBytes =
    posts * (OBSERVATION_PREFLIGHT_HEADER_BYTES + OBSERVATION_POST_HEADER_BYTES) + bodyBytes;
  return {
    posts,
    requests: 2 * posts,
    requestBytes,
    bytes: requestBytes + posts * (2 * RESPONSE_HEADER_BYTES + ANSWER_BODY_BYTES),
    largestBody: Math.max(0, ...bodies.map((body) => Buffer.byteLength(body))),
    probeRequests,
    probeBytes: probeRequests * (REQUEST_HEADER_BYTES + RESPONSE_HEADER_BYTES),
  };
}
