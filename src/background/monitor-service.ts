import { BADGE_STYLES, type BadgeStyle, badgeKind, badgeTitle } from '../core/badge';
import type { Translate } from '../core/format';
import { appendHistory, type History } from '../core/history';
import { decideCheck, isStale, nextCheckDelaySeconds } from '../core/monitor';
import { applySettingsPatch, type Settings, validateSettingsPatch } from '../core/settings';
import type { Thresholds } from '../core/thresholds';
import type { MonitorState } from '../core/types';
import { ProtocolError, type SettingsPatch, type Snapshot } from '../shared/protocol';
import type { Fetch, SetTimer } from '../sources/http-attempt';
import { observeAll } from '../sources/registry';

/** Everything the monitor touches outside pure code, injected so tests run it in Node. */
export interface MonitorDeps {
  readonly load: () => Promise<{ settings: Settings; state: MonitorState; history: History }>;
  readonly saveCheck: (state: MonitorState, history: History) => Promise<void>;
  readonly saveSettings: (settings: Settings) => Promise<void>;
  readonly fetch: Fetch;
  readonly now: () => number;
  readonly clock: () => number;
  readonly setTimer: SetTimer;
  readonly sleep: (ms: number) => Promise<void>;
  readonly onLine: () => boolean;
  readonly canRead: () => Promise<(url: string) => boolean>;
  readonly showBadge: (style: BadgeStyle, title: string) => Promise<void>;
  readonly scheduleCheck: (delaySeconds: number, intervalSeconds: number) => Promise<void>;
  readonly broadcast: (snapshot: Snapshot) => Promise<void>;
  readonly translate: Translate;
  readonly locale: () => string;
  readonly thresholds: Thresholds;
  readonly log?: (event: string, data?: Record<string, unknown>) => void;
}

export interface Monitor {
  /** Runs a check now, or joins the one already running. */
  check(): Promise<Snapshot>;
  snapshot(): Promise<Snapshot>;
  /** Redraws the badge from stored state (e.g. stale after the laptop slept). */
  refreshBadge(): Promise<Snapshot>;
  updateSettings(patch: SettingsPatch): Promise<Snapshot>;
}

export function createMonitor(deps: MonitorDeps): Monitor {
  let running: Promise<Snapshot> | null = null;

  const snapshotOf = (settings: Settings, state: MonitorState, history: History): Snapshot => {
    const now = deps.now();
    return {
      state,
      settings,
      history,
      checking: running !== null,
      stale: isStale(state, now, settings.checkIntervalSeconds, deps.thresholds),
      now,
    };
  };

  const paint = async (snapshot: Snapshot) => {
    const { settings, state, now } = snapshot;
    const input = {
      state,
      primary: settings.primary,
      watched: settings.watched,
      intervalSeconds: settings.checkIntervalSeconds,
      now,
      thresholds: deps.thresholds,
    };
    const kind = badgeKind(input);
    await deps.showBadge(BADGE_STYLES[kind], badgeTitle(input, kind, deps.translate, deps.locale()));
  };

  // load → observe → decide → save → effects
  const cycle = async (): Promise<{ settings: Settings; state: MonitorState; history: History }> => {
    const { settings, state: previous, history } = await deps.load();
    await deps.broadcast(snapshotOf(settings, previous, history));
    const observations = await observeAll({
      fetch: deps.fetch,
      clock: deps.clock,
      setTimer: deps.setTimer,
      sleep: deps.sleep,
      thresholds: deps.thresholds,
      watched: settings.watched,
      previous,
      onLine: deps.onLine(),
      canRead: await deps.canRead(),
    });
    const now = deps.now();
    const check = { probes: observations.probes, connectivity: observations.connectivity };
    const state = decideCheck(previous, check, now, deps.thresholds);
    const nextHistory = appendHistory(history, state, now);
    await deps.saveCheck(state, nextHistory);
    const delay = nextCheckDelaySeconds(state, check, settings.checkIntervalSeconds, deps.thresholds);
    await deps.scheduleCheck(delay, settings.checkIntervalSeconds);
    deps.log?.('check', { connectivity: state.connectivity, next: delay });
    return { settings, state, history: nextHistory };
  };

  const check = () => {
    if (running) return running;
    running = cycle()
      .then(({ settings, state, history }) => {
        running = null;
        return snapshotOf(settings, state, history);
      })
      .catch((error: unknown) => {
        running = null;
        throw error;
      });
    const result = running;
    return result.then(async (snapshot) => {
      await paint(snapshot);
      await deps.broadcast(snapshot);
      return snapshot;
    });
  };

  const snapshot = async () => {
    const { settings, state, history } = await deps.load();
    return snapshotOf(settings, state, history);
  };

  return {
    check,
    snapshot,
    async refreshBadge() {
      const s = await snapshot();
      await paint(s);
      return s;
    },
    async updateSettings(patch) {
      const problems = validateSettingsPatch(patch);
      const keys = Object.keys(problems);
      if (keys.length > 0) {
        throw new ProtocolError('invalid-settings', keys.map((k) => `${k}: ${problems[k]}`).join('; '));
      }
      const { settings } = await deps.load();
      await deps.saveSettings(applySettingsPatch(settings, patch));
      // A new watched set or primary changes what the badge says: check at once.
      return check();
    },
  };
}
