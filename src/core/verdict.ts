import { isSuccess } from './attempts';
import type { Thresholds } from './thresholds';
import type {
  Attempt,
  CheckOutcome,
  DegradedCause,
  Reason,
  ServiceObservation,
  ServiceState,
  Status,
} from './types';

/**
 * The probe verdict for one service after one check (fused with other signals in monitor.ts): a pure function of what we believed before, what
 * the probes saw and the thresholds. Confirmation happened inside the check (see
 * needsAnotherAttempt); here we read the attempts, remember the outcome for flap detection and
 * decide the status with its reasons.
 *
 * Flapping is a flag, not a status (as in Icinga, where a flapping host still shows DOWN): a
 * service whose checks fail is down, one that answers is up, and `unstable` marks one that keeps
 * changing, with its reason. The flag holds back notifications (notify.ts), never the verdict, so
 * a second outage after a short recovery turns red as fast as the first.
 */
export function decideService(
  previous: ServiceState | undefined,
  observation: ServiceObservation,
  now: number,
  t: Thresholds,
): ServiceState {
  const prevStatus: Status = previous?.probeStatus ?? 'unknown';
  const { attempts } = observation;
  const outcome = checkOutcome(prevStatus, attempts, t);
  const recent = [...(previous?.recent ?? []), outcome].slice(-t.flapWindow);
  const changes = countChanges(recent);
  const ratio = changes / Math.max(1, t.flapWindow - 1);
  const unstable = previous?.unstable ? ratio >= t.flapLeave : ratio >= t.flapEnter;

  const reasons: Reason[] = [attemptReason(prevStatus, attempts, outcome, t)];
  const latencyMs = lastSuccessLatency(attempts);
  const slowStreak = trailingCount(recent, 'slow');
  if (outcome === 'slow' && latencyMs !== null) reasons.push({ code: 'slow', args: [latencyMs] });
  // After what this check saw: the flag explains the status, it does not replace it.
  if (unstable) reasons.push({ code: 'unstable', args: [changes, recent.length] });

  let status: Status;
  if (outcome === 'down') status = 'down';
  else if (outcome === 'slow' && slowStreak >= t.slowChecks) status = 'degraded';
  else status = 'up';
  // Only slowness degrades the probes' own verdict now; flapping is the `unstable` flag.
  const cause: DegradedCause | null = status === 'degraded' ? 'slow' : null;

  return {
    status,
    probeStatus: status,
    confidence: 'medium',
    maintenance: false,
    cause,
    since: previous && previous.status === status ? previous.since : now,
    checkedAt: now,
    latencyMs,
    reasons,
    recent,
    unstable,
    // Decided with the feed, in monitor.ts.
    scope: null,
  };
}

function checkOutcome(prev: Status, attempts: readonly Attempt[], t: Thresholds): CheckOutcome {
  const successes = attempts.filter(isSuccess);
  const last = attempts.at(-1);
  if (prev === 'down') {
    // Recovery must be confirmed just like a failure: enough successes in a row.
    const confirmed = attempts.length >= t.successAttempts && successes.length === attempts.length;
    if (!confirmed) return 'down';
  } else if (successes.length === 0) {
    return attempts.length >= t.failureAttempts ? 'down' : 'up';
  }
  return last?.kind === 'slow' ? 'slow' : 'up';
}

function attemptReason(
  prev: Status,
  attempts: readonly Attempt[],
  outcome: CheckOutcome,
  t: Thresholds,
): Reason {
  const total = attempts.length;
  const failures = attempts.filter((a) => !isSuccess(a));
  const ok = total - failures.length;
  const lastFailure = failures.at(-1);
  if (outcome === 'down' && prev === 'down' && ok > 0) {
    return { code: 'recovering', args: [ok, t.successAttempts] };
  }
  if (outcome === 'down' && lastFailure) {
    return { code: 'attemptsFailed', args: [failures.length, total, lastFailure.kind] };
  }
  if (failures.length > 0) return { code: 'blip', args: [failures.length, total] };
  return { code: 'attemptsOk', args: [ok, total] };
}

function lastSuccessLatency(attempts: readonly Attempt[]): number | null {
  const success = attempts.filter(isSuccess).at(-1);
  return success ? Math.round(success.latencyMs) : null;
}

/** State changes between "reachable" (up or slow) and "down" across consecutive checks. */
function countChanges(recent: readonly CheckOutcome[]): number {
  let changes = 0;
  for (let i = 1; i < recent.length; i++) {
    if ((recent[i] === 'down') !== (recent[i - 1] === 'down')) changes++;
  }
  return changes;
}

function trailingCount<T>(items: readonly T[], value: T): number {
  let n = 0;
  for (let i = items.length - 1; i >= 0 && items[i] === value; i--) n++;
  return n;
}
