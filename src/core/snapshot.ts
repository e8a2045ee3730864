// What a page shows, made from what storage holds: pages read storage and follow its changes, so
// opening the popup never waits for the background to wake up.

import type { FeedDocument } from '../shared/feed';
import type { CrowdCache } from './crowd';
import type { History } from './history';
import { type Mutes, mutedIds } from './mutes';
import type { Outage } from './outages';
import type { ServiceId } from './services';
import type { Settings } from './settings';
import { isStale } from './stale';
import type { Thresholds } from './thresholds';
import type { MonitorState } from './types';

/** A check that has been marked running longer than this was cut off (the worker was stopped). */
export const CHECK_STUCK_MS = 60_000;

/** When the running check began; null when none runs. A check that never ended leaves it behind. */
export interface CheckingMark {
  readonly since: number;
}

/** What pages read from storage. */
export interface StoredView {
  readonly settings: Settings;
  readonly state: MonitorState;
  readonly history: History;
  readonly outages: readonly Outage[];
  readonly crowdCache: CrowdCache | null;
  readonly snoozedUntil: number | null;
  readonly checking: CheckingMark | null;
  readonly mutes: Mutes;
}

/** What the UI sees: one consistent picture of the monitor. */
export interface Snapshot {
  readonly state: MonitorState;
  readonly settings: Settings;
  readonly history: History;
  readonly outages: readonly Outage[];
  /** The crowd-report feed as last read, when one is configured. */
  readonly crowd: {
    readonly feed: FeedDocument | null;
    readonly problem: string | null;
    readonly fetchedAt: number;
  } | null;
  /** Notifications are paused until then (null: not paused). */
  readonly snoozedUntil: number | null;
  /** The apps muted now (no notices, out of the badge), and each one's mute. */
  readonly muted: readonly ServiceId[];
  readonly mutes: Mutes;
  /** A check is running now. */
  readonly checking: boolean;
  /** Results are older than two check intervals (or there are none yet). */
  readonly stale: boolean;
  /** The thresholds in force: what made it stale, and what the badge is decided with (snapshotBadge). */
  readonly thresholds: Thresholds;
  /** The time the snapshot describes, so "20 s ago" is right in the UI. */
  readonly now: number;
}

export function snapshotOf(view: StoredView, now: number, thresholds: Thresholds): Snapshot {
  const { settings, state, crowdCache, snoozedUntil, checking } = view;
  return {
    state,
    settings,
    history: view.history,
    outages: view.outages,
    crowd: crowdCache && {
      feed: crowdCache.feed,
      problem: crowdCache.problem,
      fetchedAt: crowdCache.fetchedAt,
    },
    snoozedUntil: snoozedUntil !== null && snoozedUntil > now ? snoozedUntil : null,
    muted: mutedIds(view.mutes, state, now),
    mutes: view.mutes,
    checking: checking !== null && now - checking.since < CHECK_STUCK_MS && now >= checking.since,
    stale: isStale(state, now, settings.checkIntervalSeconds, thresholds),
    thresholds,
    now,
  };
}
