import type { Thresholds } from './thresholds';
import type { Attempt, RawAttempt, Status } from './types';

/**
 * Classifies one attempt. Any HTTP answer below 500 means the service is reachable: WhatsApp may
 * answer 400 and Teams redirects to a login page, yet both are up. An opaque (no-cors) answer
 * carries no status, and reaching the host is all it can tell.
 */
export function classifyAttempt(raw: RawAttempt, t: Thresholds): Attempt {
  if (!raw.ok) return { kind: raw.timedOut ? 'timeout' : 'network', latencyMs: raw.latencyMs };
  if (raw.status !== null && raw.status >= 500) {
    return { kind: 'http', latencyMs: raw.latencyMs, status: raw.status };
  }
  if (raw.latencyMs > t.slowMs) return { kind: 'slow', latencyMs: raw.latencyMs, status: raw.status };
  return { kind: 'reachable', latencyMs: raw.latencyMs, status: raw.status };
}

export function isSuccess(a: Attempt): boolean {
  return a.kind === 'reachable' || a.kind === 'slow';
}

/**
 * Should the probe try once more within this check? A result that agrees with what we already
 * believe needs no confirmation; one that contradicts it is confirmed by quick retries, so one
 * check is enough for a verdict, and one lost packet is never an outage.
 */
export function needsAnotherAttempt(previous: Status, attempts: readonly Attempt[], t: Thresholds): boolean {
  const last = attempts.at(-1);
  if (!last) return true;
  if (previous === 'down') {
    // Recovery: keep trying while every attempt succeeded but not enough of them yet.
    return attempts.every(isSuccess) && attempts.length < t.successAttempts;
  }
  // Up, degraded or unknown: keep trying while every attempt failed but not enough of them yet.
  return !attempts.some(isSuccess) && attempts.length < t.failureAttempts;
}
