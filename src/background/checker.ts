// The background's check, as a thin runner around the pure step: load → observe → step → save →
// effects. Nothing here decides anything; src/core/step.ts does. The badge is not painted here either:
// the painter (badge-painter.ts) follows the stored state and settings.

import type { Notice } from '../core/notify';
import { type StepResult, step, type Wording } from '../core/step';
import type { Thresholds } from '../core/thresholds';
import type { Stored } from '../platform/storage';
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
  /** Shows one notification (the platform adds the icon and, on Chrome, the buttons). */
  readonly notify: (id: string, notice: Notice) => Promise<void>;
  /** Minutes since local midnight, for quiet hours. */
  readonly localMinutes: () => number;
  readonly wording: () => Wording;
  readonly thresholds: Thresholds;
  readonly log?: (event: string, data?: Record<string, unknown>) => void;
}

export interface Checker {
  /**
   * Runs a check, or joins the one running. With `fresh`, a check running now (started with what may
   * be older settings) is followed by another one, which the returned promise waits for.
   */
  check(options?: { fresh?: boolean }): Promise<void>;
}

export function createChecker(deps: CheckerDeps): Checker {
  let running: Promise<void> | null = null;
  let followUp: Promise<void> | null = null;

  const cycle = async (): Promise<void> => {
    const stored = await deps.load();
    const { settings } = stored;
    const started = deps.now();
    await deps.markChecking(started);
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
    });
    await deps.saveCheck(result.record);
    await deps.scheduleCheck(result.nextDelaySeconds, settings.checkIntervalSeconds);
    deps.log?.('check', {
      connectivity: result.record.state.connectivity,
      next: result.nextDelaySeconds,
      notices: result.notices.length,
      badge: result.badge.kind,
    });
    // Saved first, then shown: a worker killed in between loses a notification, never repeats one.
    for (const notice of result.notices) {
      await deps
        .notify(`${notice.kind}-${notice.service}-${notice.since}`, notice)
        .catch((e: unknown) =>
          deps.log?.('notify-error', { message: e instanceof Error ? e.message : String(e) }),
        );
    }
  };

  const start = (): Promise<void> => {
    running = cycle().finally(() => {
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
  };
}
