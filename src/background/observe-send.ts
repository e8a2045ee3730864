// Observations leave here: who sends (the rotating id, the country if allowed, the day's sampling
// draw) and one POST through the one HTTP helper. What to send and when is decided by the pure
// planner (src/core/observe.ts), inside the check step.

import { type Observer, observationUrl, type SendOutcome, sendOutcome } from '../core/observe';
import type { Settings } from '../core/settings';
import { type Observation, REPORT_ANSWER_MAX_BYTES } from '../shared/feed';
import { type HttpEnv, httpRequest } from '../sources/http';
import { type SenderDeps, senderFor } from './sender';

export interface ObserverDeps extends SenderDeps {
  /** This browser's sampling draw for the UTC day of `now`, in [0, 1) (src/platform/client-id.ts). */
  readonly sampleDraw: (now: number) => Promise<number>;
}

/**
 * Who would share observations now: null when sharing is off, no feed takes them, or the browser's
 * data consent withholds it. Nothing is derived (not even the secret made) before the user opts in.
 */
export async function observerFor(
  deps: ObserverDeps,
  settings: Settings,
  now: number,
): Promise<Observer | null> {
  const url = observationUrl(settings);
  if (url === null) return null;
  const sender = await senderFor(deps, url, settings.shareCountry, now);
  return sender && { ...sender, sampleDraw: await deps.sampleDraw(now) };
}

/** Posts one observation (credentials omitted, a timeout, the answer read up to a few KB). */
export async function postObservation(
  env: HttpEnv,
  timeoutMs: number,
  url: string,
  observation: Observation,
): Promise<SendOutcome> {
  const outcome = await httpRequest(env, {
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(observation),
    timeoutMs,
    maxBytes: REPORT_ANSWER_MAX_BYTES,
  });
  switch (outcome.kind) {
    case 'ok':
      return sendOutcome(outcome.status, null);
    case 'http-error':
      return sendOutcome(outcome.status, outcome.retryAfter);
    // Unreachable, a timeout, an answer too large or redirected to plain http: try again next check.
    default:
      return sendOutcome(null, null);
  }
}
