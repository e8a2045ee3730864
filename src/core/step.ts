// One check, decided: the previous record, what the sources observed, the time and the settings in;
// the next record, the notices to send, when to check next and what the badge says out. The extension's
// background, `npm run check` and the bench all run this one function, so they cannot drift apart.

import type { Observation } from '../shared/feed';
import {
  BADGE_STYLES,
  type BadgeKind,
  type BadgeSettings,
  type BadgeStyle,
  badgeInputOf,
  badgeKind,
} from './badge';
import { badgeTitle } from './badge-title';
import type { CrowdCache, CrowdObservation } from './crowd';
import type { Translate } from './format';
import { appendHistory, type History } from './history';
import { type CheckObservation, decideCheck, nextCheckDelaySeconds } from './monitor';
import { type Mutes, mutedIds } from './mutes';
import { decideNotifications, INITIAL_NOTIFY_STATE, type Notice, type NotifyState } from './notify';
import {
  INITIAL_OBSERVE_STATE,
  type Observer,
  type ObserveState,
  observeHintsOf,
  planObservation,
  sharedInFeed,
} from './observe';
import type { OfficialCache, OfficialObservation } from './official/types';
import { type Outage, updateOutages } from './outages';
import type { ServiceId } from './services';
import type { Settings } from './settings';
import type { Thresholds } from './thresholds';
import {
  type ConnectivityObservation,
  INITIAL_STATE,
  type MonitorState,
  type ServiceObservation,
} from './types';

/** Everything one check observes, one key per signal source (src/sources/registry.ts). */
export interface Observations {
  readonly probes: readonly ServiceObservation[];
  readonly connectivity: ConnectivityObservation;
  readonly official: OfficialObservation;
  readonly crowd: CrowdObservation;
}

/** What a check reads from storage and writes back, all at once. */
export interface CheckRecord {
  readonly state: MonitorState;
  readonly history: History;
  readonly officialCache: OfficialCache;
  readonly notify: NotifyState;
  readonly outages: readonly Outage[];
  readonly crowdCache: CrowdCache | null;
  /** What this browser last told the feed, and what waits to be told (src/core/observe.ts). */
  readonly observe: ObserveState;
}

export const INITIAL_RECORD: CheckRecord = {
  state: INITIAL_STATE,
  history: {},
  officialCache: {},
  notify: INITIAL_NOTIFY_STATE,
  outages: [],
  crowdCache: null,
  observe: INITIAL_OBSERVE_STATE,
};

/** How to word the badge's tooltip: the page's translator and language. */
export interface Wording {
  readonly t: Translate;
  readonly locale: string;
}

export interface StepInput {
  readonly record: CheckRecord;
  readonly observations: Observations;
  readonly settings: Settings;
  /** When the check ended, ms since the epoch. */
  readonly now: number;
  /** Minutes since local midnight, for quiet hours. */
  readonly localMinutes: number;
  readonly thresholds: Thresholds;
  readonly wording: Wording;
  /**
   * Who would share observations today (client id, country, the day's sampling draw), or null when
   * sharing is off or the browser's data consent withholds it (and for callers that never share).
   */
  readonly observer: Observer | null;
  /** A fresh random number in [0, 1): how much of the feed's spread to wait before posting a change. */
  readonly jitter: number;
  /** The apps the user muted (their own storage key, like the pause); none when absent. */
  readonly mutes?: Mutes;
}

export interface Badge {
  readonly kind: BadgeKind;
  readonly style: BadgeStyle;
  readonly title: string;
}

export interface StepResult {
  readonly record: CheckRecord;
  /** To show once the record is saved (a killed worker then loses a notice, never repeats one). */
  readonly notices: readonly Notice[];
  readonly nextDelaySeconds: number;
  readonly badge: Badge;
  /** To post to the feed now, after the save (src/background/observe-send.ts); null: nothing. */
  readonly observation: Observation | null;
  /** When a pending observation falls due, if it does before the next check should wake; null: none. */
  readonly wakeAt: number | null;
}

/** What the pure verdict needs from one round of observations. */
export function checkObservation(obs: Observations): CheckObservation {
  return {
    probes: obs.probes,
    connectivity: obs.connectivity,
    official: obs.official.reports,
    crowd: obs.crowd.signals,
  };
}

export function step(input: StepInput): StepResult {
  const { record, observations, settings, now, thresholds } = input;
  // Its own network is in the feed's counts: the scope rule moves it to where its probes are now.
  const check = { ...checkObservation(observations), shared: sharedInFeed(record.observe, settings, now) };
  const state = decideCheck(record.state, check, now, thresholds);
  const muted = mutedIds(input.mutes ?? {}, state, now);
  const { notices, notify } = decideNotifications(
    state,
    record.notify,
    {
      enabled: settings.notifications,
      primary: settings.primary,
      watched: settings.watched,
      fallbacks: settings.fallbacks,
      reminderMinutes: settings.reminderMinutes,
      quietHours: settings.quietHours,
      alertOn: settings.alertOn,
      muted,
    },
    now,
    input.localMinutes,
    thresholds,
  );
  const observed = planObservation({
    previous: record.observe,
    monitor: state,
    settings,
    hints: observeHintsOf(observations.crowd.cache),
    observer: input.observer,
    jitter: input.jitter,
    now,
  });
  const next: CheckRecord = {
    state,
    history: appendHistory(record.history, state, now),
    officialCache: observations.official.cache,
    notify,
    outages: updateOutages(record.outages, state, now),
    crowdCache: observations.crowd.cache,
    observe: observed.state,
  };
  const nextDelaySeconds = nextCheckDelaySeconds(state, check, settings.checkIntervalSeconds, thresholds);
  return {
    record: next,
    notices,
    nextDelaySeconds,
    badge: badgeFor(state, settings, now, thresholds, input.wording, muted),
    observation: observed.send,
    // Due at or after the next check: that check posts it, no wake-up needed.
    wakeAt:
      observed.wakeAt !== null && observed.wakeAt < now + nextDelaySeconds * 1000 ? observed.wakeAt : null,
  };
}

/**
 * The toolbar badge for a stored state under the settings in force now: the one function that decides
 * it, for the background's painter, the step and the pages' badge explainer alike. Muted apps leave
 * its count and colour (their rows still show them).
 */
export function badgeFor(
  state: MonitorState,
  /** With the user's own apps: the tooltip names them. */
  settings: BadgeSettings & Pick<Settings, 'customApps'>,
  now: number,
  thresholds: Thresholds,
  wording: Wording,
  muted: readonly ServiceId[] = [],
): Badge {
  const input = badgeInputOf(state, settings, now, thresholds, muted);
  const kind = badgeKind(input);
  return {
    kind,
    style: BADGE_STYLES[kind],
    title: badgeTitle(input, kind, wording.t, wording.locale, settings.customApps),
  };
}
