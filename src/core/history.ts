import type { ServiceId } from './services';
import type { MonitorState, ServiceState, Status } from './types';

/**
 * A bounded 24 h history per service for the charts: 5-minute buckets, at most 288 per service,
 * so storage stays near 8 × 288 small records (~70 KB) however often checks run.
 *
 * The history is what the probes saw, not the fused verdict: a check that reached the service is
 * up here even when the crowd or an official incident made the verdict degraded, so the strip and
 * its "N% of checks up" say how often the service answered from this browser.
 */
export const HISTORY_BUCKET_MS = 5 * 60_000;
export const HISTORY_SPAN_MS = 24 * 60 * 60_000;
export const HISTORY_MAX_BUCKETS = HISTORY_SPAN_MS / HISTORY_BUCKET_MS;

export interface HistoryBucket {
  /** Bucket start, ms since epoch. */
  readonly t: number;
  /**
   * Worst probe view seen in the bucket (down, then unknown, then up; slow answers are up). Buckets
   * stored before the probe view held the fused verdict, 'degraded' included: read as they are.
   */
  readonly s: Status;
  /** Mean latency of the reachable checks, or null. */
  readonly l: number | null;
  /** Checks in the bucket. */
  readonly n: number;
  /** Checks that contributed a latency. */
  readonly ln: number;
  /**
   * Checks whose probes reached the service, only when some did and some did not: absent, it is
   * every check of an up bucket and none of another (so older buckets read the same way).
   */
  readonly a?: number;
}

export type History = Readonly<Partial<Record<ServiceId, readonly HistoryBucket[]>>>;

const SEVERITY: Record<Status, number> = { up: 0, unknown: 1, degraded: 2, down: 3 };

export function worstStatus(a: Status, b: Status): Status {
  return SEVERITY[a] >= SEVERITY[b] ? a : b;
}

/**
 * One check as the probes saw it: up when they reached the service (slow or not), down when they
 * did not, unknown when nothing could be checked (offline). Degraded probes are slow (they answered);
 * in states of older versions they may be flapping, where this check's own outcome, the last entry
 * of `recent`, says which.
 */
export function probeView(s: ServiceState): Status {
  if (s.status === 'unknown' || s.probeStatus === 'unknown') return 'unknown';
  if (s.probeStatus !== 'degraded') return s.probeStatus;
  return s.recent.at(-1) === 'down' ? 'down' : 'up';
}

/** Checks of a bucket whose probes reached the service. */
export function answeredChecks(b: HistoryBucket): number {
  if (b.a !== undefined) return Math.min(Math.max(0, b.a), b.n);
  return b.s === 'up' ? b.n : 0;
}

/** Adds the services of one check to the history and drops what is older than 24 h. */
export function appendHistory(history: History, state: MonitorState, now: number): History {
  const out: Partial<Record<ServiceId, readonly HistoryBucket[]>> = {};
  const start = now - (now % HISTORY_BUCKET_MS);
  const cutoff = now - HISTORY_SPAN_MS;
  const ids = new Set([...Object.keys(history), ...Object.keys(state.services)]) as Set<ServiceId>;
  for (const id of ids) {
    const buckets = (history[id] ?? []).filter((b) => b.t > cutoff);
    const s = state.services[id];
    if (s) {
      const view = probeView(s);
      const last = buckets.at(-1);
      if (last && last.t === start) buckets[buckets.length - 1] = merge(last, view, s.latencyMs);
      else buckets.push({ t: start, s: view, l: s.latencyMs, n: 1, ln: s.latencyMs === null ? 0 : 1 });
    }
    if (buckets.length > 0) out[id] = buckets.slice(-HISTORY_MAX_BUCKETS);
  }
  return out;
}

function merge(b: HistoryBucket, view: Status, latency: number | null): HistoryBucket {
  const ln = b.ln + (latency === null ? 0 : 1);
  const l = latency === null ? b.l : Math.round(((b.l ?? 0) * b.ln + latency) / ln);
  const n = b.n + 1;
  const a = answeredChecks(b) + (view === 'up' ? 1 : 0);
  const merged = { t: b.t, s: worstStatus(b.s, view), l, n, ln };
  // The count is stored only when the bucket is mixed: ~2 KB less per service on a calm day.
  return a === 0 || a === n ? merged : { ...merged, a };
}
