import type { CrowdScope } from './scope';
import type { ServiceId } from './services';

export type Status = 'up' | 'degraded' | 'down' | 'unknown';
export type Connectivity = 'online' | 'offline' | 'captive';

/** What one HTTP attempt did, before any judgement. */
export type RawAttempt =
  | {
      readonly ok: true;
      readonly latencyMs: number /** null when the response is opaque (no-cors) */;
      readonly status: number | null;
    }
  | { readonly ok: false; readonly latencyMs: number; readonly timedOut: boolean };

export type FailureKind = 'timeout' | 'network' | 'http';

/** One attempt, classified. */
export type Attempt =
  | { readonly kind: 'reachable'; readonly latencyMs: number; readonly status: number | null }
  | { readonly kind: 'slow'; readonly latencyMs: number; readonly status: number | null }
  | { readonly kind: 'timeout'; readonly latencyMs: number }
  | { readonly kind: 'network'; readonly latencyMs: number }
  | { readonly kind: 'http'; readonly latencyMs: number; readonly status: number };

/**
 * A reason behind a verdict, as data: the UI localizes it (`reason_<code>` in _locales) with `args`
 * as placeholders, so the same reason reads right in every language.
 */
export interface Reason {
  readonly code: ReasonCode;
  readonly args?: readonly (string | number)[];
}
export type ReasonCode =
  | 'attemptsFailed' // args: failed, total, failure kind
  | 'attemptsOk' // args: ok, total
  | 'blip' // args: failed, total
  | 'slow' // args: latency ms
  | 'recovering' // args: ok, needed
  | 'unstable' // args: changes, checks
  | 'controlsOk'
  | 'controlsFailed'
  | 'browserOffline'
  | 'captivePortal'
  | 'offline'
  | 'captive'
  | 'notChecked'
  | 'officialMajor'
  | 'officialMinor'
  | 'officialMaintenance'
  | 'officialOperational'
  | 'officialUnknown' // args: problem
  | 'officialIncident' // args: incident title (plain text from the status page)
  | 'crowdOutage' // args: reports in the latest bucket, usual count
  | 'crowdElevated' // args: reports, usual count
  | 'crowdUnknown' // args: problem
  | 'disagree'; // args: source ('probes' | 'official' | 'crowd' | 'browsers')

/** The probe result of one service in one check. */
export interface ServiceObservation {
  readonly service: ServiceId;
  readonly attempts: readonly Attempt[];
}

/** Everything one check saw about the user's own connection. */
export interface ConnectivityObservation {
  /** navigator.onLine (true when unknown, as in Node). */
  readonly onLine: boolean;
  /** One entry per control: did any attempt reach it? */
  readonly controls: readonly { readonly id: string; readonly reachable: boolean }[];
  /** Result of the captive-portal check, or 'unchecked' without host permission. */
  readonly portal: 'ok' | 'portal' | 'unchecked';
}

/** What a check remembers per service. */
export type CheckOutcome = 'up' | 'slow' | 'down';

/**
 * Why a service is degraded, decided by the core so every page words it the same way: the probes
 * found it slow; or the probes answer and an official incident or a spike of crowd reports says
 * otherwise ("possible outage": the user may be fine while others are not); or the probes fail here
 * while other networks reach it ('local': "not from here", never shown as the service being down).
 * Going up and down is not a cause: it is the `unstable` flag on an up or down service (older
 * versions stored it as cause 'unstable'; see stored.ts).
 */
export type DegradedCause = 'slow' | 'official' | 'crowd' | 'local';
export const DEGRADED_CAUSES: readonly DegradedCause[] = ['slow', 'official', 'crowd', 'local'];

export interface ServiceState {
  /** The fused verdict of every signal (probes, official status, crowd). */
  readonly status: Status;
  /** What the probes alone concluded: the next check confirms against this. */
  readonly probeStatus: Status;
  readonly confidence: 'high' | 'medium' | 'low';
  /** Scheduled maintenance is going on (official status). */
  readonly maintenance: boolean;
  /** Why the status is degraded; null for every other status. */
  readonly cause: DegradedCause | null;
  /** When the status began (ms since epoch). */
  readonly since: number;
  readonly checkedAt: number;
  readonly latencyMs: number | null;
  readonly reasons: readonly Reason[];
  /** Outcome of the latest checks, oldest first, bounded by the flap window. */
  readonly recent: readonly CheckOutcome[];
  /**
   * Flapping, with hysteresis: once unstable, stays so until changes fall below the leave ratio. A
   * flag beside the status (a tag on the row, a reason under "Why?"), which holds back notifications.
   */
  readonly unstable: boolean;
  /**
   * Where the crowd of browsers sees it fail (src/core/scope.ts), as of this check; null without a
   * feed, or when the feed has no probes for it.
   */
  readonly scope: CrowdScope | null;
}

export interface MonitorState {
  readonly connectivity: Connectivity;
  readonly connectivityReasons: readonly Reason[];
  /** When the latest check finished, or null before the first. */
  readonly checkedAt: number | null;
  readonly services: Readonly<Partial<Record<ServiceId, ServiceState>>>;
}

export const INITIAL_STATE: MonitorState = {
  connectivity: 'online',
  connectivityReasons: [],
  checkedAt: null,
  services: {},
};
