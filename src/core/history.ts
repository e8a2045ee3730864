import type { ServiceId } from './catalog';
import type { MonitorState, Status } from './types';

/**
 * A bounded 24 h history per service for the charts: 5-minute buckets, at most 288 per service,
 * so storage stays near 8 × 288 small records (~70 KB) however often checks run.
 */
export const HISTORY_BUCKET_MS = 5 * 60_000;
export const HISTORY_SPAN_MS = 24 * 60 * 60_000;
export const HISTORY_MAX_BUCKETS = HISTORY_SPAN_MS / HISTORY_BUCKET_MS;

export interface HistoryBucket {
  /** Bucket start, ms since epoch. */
  readonly t: number;
  /** Worst status seen in the bucket. */
  readonly s: Status;
  /** Mean latency of the reachable checks, or null. */
  readonly l: number | null;
  /** Checks in the bucket. */
  readonly n: number;
  /** Checks that contributed a latency. */
  readonly ln: number;
}

export type History = Readonly<Partial<Record<ServiceId, readonly HistoryBucket[]>>>;

const SEVERITY: Record<Status, number> = { up: 0, unknown: 1, degraded: 2, down: 3 };

export function worstStatus(a: Status, b: Status): Status {
  return SEVERITY[a] >= SEVERITY[b] ? a : b;
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
      const last = buckets.at(-1);
      if (last && last.t === start) buckets[buckets.length - 1] = merge(last, s.status, s.latencyMs);
      else buckets.push({ t: start, s: s.status, l: s.latencyMs, n: 1, ln: s.latencyMs === null ? 0 : 1 });
    }
    if (buckets.length > 0) out[id] = buckets.slice(-HISTORY_MAX_BUCKETS);
  }
  return out;
}

function merge(b: HistoryBucket, status: Status, latency: number | null): HistoryBucket {
  const ln = b.ln + (latency === null ? 0 : 1);
  const l = latency === null ? b.l : Math.round(((b.l ?? 0) * b.ln + latency) / ln);
  return { t: b.t, s: worstStatus(b.s, status), l, n: b.n + 1, ln };
}
