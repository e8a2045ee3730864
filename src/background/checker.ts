// The background's check, as a thin runner around the pure step: load → observe → step → save →
// effects. Nothing here decides anything; src/core/step.ts does. The badge is not painted here either:
// the painter (badge-painter.ts) follows the stored state and settings.

import type { Notice } from '../core/notify';
import {
  type Observer,
  type ObserveState,
  observationSent,
  observationUrl,
  observeHintsOf,
  planObservation,
  type SendOutcome,
} from '../core/observe';
import type { Settings } from '../core/settings';
import { isStale } from '../core/stale';
import { type StepResult, step, type Wording } from '../core/step';
import type { Thresholds } from '../core/thresholds';
import type { Stored } from '../platform/storage';
import type { Observation } from '../shared/feed';
import { observeAll } from '../sources/registry';
import type { SourceEnv } from '../sources/source';

export interface CheckerDeps {
  readonly load: () => Promise<Stored>;
  /** Marks a check as running (so a page shows it, and a check cut off is finished at the next wake). */
  readonly markChecking: (since: number) => Promise<void>;
  /** Saves the record and clears the running mark, in one write. */
  readonly saveCheck: (record: StepResult['record']) => Promise<void>;
  readonly env: SourceEnv;
  /** Wall-clock milliseconds. */
  readonly now: () => number;
  readonly onLine: () => boolean;
  readonly canRead: () => Promise<(url: string) => boolean>;
  readonly scheduleCheck: (delaySeconds: number, intervalSeconds: number) => Promise<void>;
  /**
   * Shows one notification (the platform adds the icon and, on Chrome, the buttons). With the user's
   * own apps from the check's settings: the texts name them.
   */
  readonly notify: (id: string, notice: Notice, customApps: Settings['customApps']) => Promise<void>;
  /** Minutes since local midnight, for quiet hours. */
  readonly localMinutes: () => number;
  readonly wording: () => Wording;
  readonly thresholds: Thresholds;
  readonly observe: ObserveEffects;
  readonly log?: (event: string, data?: Record<string, unknown>) => void;
}

/** Sharing observations (src/core/observe.ts decides; these carry it out). */
export interface ObserveEffects {
  /** Who would share now (src/background/observe-send.ts observerFor); null: nothing is shared. */
  readonly observer: (settings: Settings, now: number) => Promise<Observer | null>;
  /** A fresh random number in [0, 1). */
  readonly jitter: () => number;
  readonly post: (url: string, observation: Observation) => Promise<SendOutcome>;
  /** Saves the sending state alone (after a post, or a send-only pass). */
  readonly save: (state: ObserveState) => Promise<void>;
  /** Wakes the worker at that time for a send-only pass (null: no wake-up needed). */
  readonly wake: (at: number | null) => Promise<void>;
}

export interface Checker {
  /**
   * Runs a check, or joins the one running. With `fresh`, a check running now (started with what may
   * be older settings) is followed by another one, which the returned promise waits for.
   */
  check(options?: { fresh?: boolean }): Promise<void>;
  /**
   * A send-only pass (the observation wake-up): posts an observation whose random wait has ended,
   * from the stored state, without probing again. Joins a running check, which posts it itself.
   */
  sendPending(): Promise<void>;
}

export function createChecker(deps: CheckerDeps): Checker {
  let running: Promise<void> | null = null;
  let followUp: Promise<void> | null = null;
  // Checks and send-only passes take turns (both read and write the sending state): a check waits for
  // a send-only pass under way, which joins a check under way.
  let sending: Promise<void> | null = null;

  /** Posts what the planner said to post, records what came of it, and sets the wake-up. */
  const deliver = async (
    state: ObserveState,
    observation: Observation | null,
    settings: Settings,
    wakeAt: number | null,
  ): Promise<void> => {
    const url = observationUrl(settings);
    if (observation && url) {
      const outcome = await deps.observe.post(url, observation);
      await deps.observe.save(observationSent(state, url, observation, outcome, deps.now()));
      deps.log?.('observation', {
        services: Object.keys(observation.services).length,
        outcome: outcome.kind,
      });
    }
    await deps.observe.wake(wakeAt);
  };

  const sendOnly = async (): Promise<void> => {
    const stored = await deps.load();
    const { settings } = stored;
    const now = deps.now();
    // Results from before a sleep are not what this browser sees now: the next check will tell.
    if (isStale(stored.state, now, settings.checkIntervalSeconds, deps.thresholds)) return;
    const plan = planObservation({
      previous: stored.observe,
      monitor: stored.state,
      settings,
      hints: observeHintsOf(stored.crowdCache),
      observer: await deps.observe.observer(settings, now),
      jitter: deps.observe.jitter(),
      now,
    });
    await deps.observe.save(plan.state);
    await deliver(plan.state, plan.send, settings, plan.wakeAt);
  };

  const cycle = async (): Promise<void> => {
    const stored = await deps.load();
    const { settings } = stored;
    const started = deps.now();
    await deps.markChecking(started);
    const observer = await deps.observe.observer(settings, started);
    const observations = await observeAll(deps.env, {
      thresholds: deps.thresholds,
      settings,
      record: stored,
      onLine: deps.onLine(),
      canRead: await deps.canRead(),
      now: started,
    });
    const result = step({
      record: stored,
      observations,
      settings,
      now: deps.now(),
      localMinutes: deps.localMinutes(),
      thresholds: deps.thresholds,
      wording: deps.wording(),
      observer,
      jitter: deps.observe.jitter(),
      mutes: stored.mutes,
    });
    await deps.saveCheck(result.record);
    await deps.scheduleCheck(result.nextDelaySeconds, settings.checkIntervalSeconds);
    deps.log?.('check', {
      connectivity: result.record.state.connectivity,
      next: result.nextDelaySeconds,
      notices: result.notices.length,
      badge: result.badge.kind,
    });
    // Saved first, then shown: a worker killed in between loses a notification, never repeats one. An
    // outage that gains an app keeps its id: the notice shown is replaced, not joined by another.
    for (const notice of result.notices) {
      await deps
        .notify(notice.id, notice, settings.customApps)
        .catch((e: unknown) =>
          deps.log?.('notify-error', { message: e instanceof Error ? e.message : String(e) }),
        );
    }
    // Saved first, then posted: the change stays pending in storage until the feed accepts it.
    await deliver(result.record.observe, result.observation, settings, result.wakeAt);
  };

  const start = (): Promise<void> => {
    running = (sending ? sending.catch(() => undefined).then(cycle) : cycle()).finally(() => {
      running = null;
    });
    return running;
  };

  return {
    check({ fresh = false } = {}) {
      if (!running) return start();
      if (!fresh) return running;
      followUp ??= running
        .catch(() => undefined)
        .then(() => {
          followUp = null;
          return running ?? start();
        });
      return followUp;
    },
    sendPending() {
      if (running) return running;
      sending ??= sendOnly().finally(() => {
        sending = null;
      });
      return sending;
    },
  };
}
