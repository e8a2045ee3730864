import type { Thresholds } from './thresholds';
import type { MonitorState } from './types';

/**
 * Results older than `staleIntervals` check intervals (or none yet) are out of date. A module of its
 * own so that pages can draw the badge (core/badge.ts) without the monitor's decision code.
 */
export function isStale(state: MonitorState, now: number, intervalSeconds: number, t: Thresholds): boolean {
  return state.checkedAt === null || now - state.checkedAt > t.staleIntervals * intervalSeconds * 1000;
}
