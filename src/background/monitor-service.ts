import { BADGE_STYLES, type BadgeStyle, badgeKind, badgeTitle } from '../core/badge';
import type { ServiceId } from '../core/catalog';
import type { Translate } from '../core/format';
import { appendHistory } from '../core/history';
import { decideCheck, isStale, nextCheckDelaySeconds } from '../core/monitor';
import { decideNotifications, type Notice } from '../core/notify';
import { updateOutages } from '../core/outages';
import { countryFromLocales, type ReportOutcome, reportOutcome } from '../core/report';
import { applySettingsPatch, feedReportUrl, type Settings, validateSettingsPatch } from '../core/settings';
import type { Thresholds } from '../core/thresholds';
import type { CheckRecord, Stored } from '../platform/storage';
import { type Problem, REPORT_ANSWER_MAX_BYTES } from '../shared/feed';
import { ProtocolError, type SettingsPatch, type Snapshot } from '../shared/protocol';
import { type Fetch, insecureRedirect, readLimitedText, type SetTimer } from '../sources/http-attempt';
import { checkObservation, observeAll } from '../sources/registry';

/** Everything the monitor touches outside pure code, injected so tests run it in Node. */
export interface MonitorDeps {
  readonly load: () => Promise<Stored>;
  readonly saveCheck: (record: CheckRecord) => Promise<void>;
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
  /** Shows one notification (the platform adds the icon and, on Chrome, the buttons). */
  readonly notify: (id: string, notice: Notice) => Promise<void>;
  /** Minutes since local midnight, for quiet hours. */
  readonly localMinutes: () => number;
  /** The id to send with a report to the feed at this URL at this time (per feed origin and UTC day). */
  readonly clientId: (feedUrl: string, now: number) => Promise<string>;
  /** Whether the browser's data consent lets a report (and its country) go out; absent: no such consent. */
  readonly dataConsent?: () => Promise<{ report: boolean; country: boolean }>;
  /** The browser's languages, most preferred first (for the report's country). */
  readonly languages: () => readonly string[];
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
  /** Pauses notifications until a time (null resumes them). */
  snooze(until: number | null): Promise<Snapshot>;
  /** Sends a problem report to the feed and says what came of it. */
  report(service: ServiceId, problem: Problem): Promise<ReportOutcome>;
}

export function createMonitor(deps: MonitorDeps): Monitor {
  let running: Promise<Snapshot> | null = null;

  const snapshotOf = ({ settings, state, history, outages, notify, crowdCache }: Stored): Snapshot => {
    const now = deps.now();
    return {
      state,
      settings,
      history,
      outages,
      crowd: crowdCache && {
        feed: crowdCache.feed,
        problem: crowdCache.problem,
        fetchedAt: crowdCache.fetchedAt,
      },
      snoozedUntil: notify.snoozedUntil !== null && notify.snoozedUntil > now ? notify.snoozedUntil : null,
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
  const cycle = async (): Promise<{ stored: Stored; notices: Notice[] }> => {
    const before = await deps.load();
    const { settings, state: previous } = before;
    await deps.broadcast(snapshotOf(before));
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
      now: deps.now,
      officialCache: before.officialCache,
      statusPages: settings.statusPages,
      feedUrl: settings.feedUrl,
      crowdCache: before.crowdCache,
    });
    const now = deps.now();
    const check = checkObservation(observations);
    const state = decideCheck(previous, check, now, deps.thresholds);
    const { notices, notify } = decideNotifications(
      state,
      before.notify,
      {
        enabled: settings.notifications,
        primary: settings.primary,
        watched: settings.watched,
        fallbacks: settings.fallbacks,
        reminderMinutes: settings.reminderMinutes,
        quietHours: settings.quietHours,
      },
      now,
      deps.localMinutes(),
      deps.thresholds,
    );
    const record: CheckRecord = {
      state,
      history: appendHistory(before.history, state, now),
      officialCache: observations.official.cache,
      notify,
      outages: updateOutages(before.outages, state, now),
      crowdCache: observations.crowd.cache,
    };
    await deps.saveCheck(record);
    const delay = nextCheckDelaySeconds(state, check, settings.checkIntervalSeconds, deps.thresholds);
    await deps.scheduleCheck(delay, settings.checkIntervalSeconds);
    deps.log?.('check', { connectivity: state.connectivity, next: delay, notices: notices.length });
    return { stored: { ...record, settings }, notices };
  };

  const check = () => {
    if (running) return running;
    running = cycle()
      .then(async ({ stored, notices }) => {
        running = null;
        // Saved first, then shown: a worker killed in between loses a notification, never repeats one.
        for (const notice of notices) {
          await deps
            .notify(`${notice.kind}-${notice.service}-${notice.since}`, notice)
            .catch((e: unknown) =>
              deps.log?.('notify-error', { message: e instanceof Error ? e.message : String(e) }),
            );
        }
        return snapshotOf(stored);
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

  const snapshot = async () => snapshotOf(await deps.load());

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
    async report(service, problem) {
      const { settings } = await deps.load();
      if (!settings.feedUrl) return { kind: 'no-feed' };
      const url = feedReportUrl(settings.feedUrl);
      if (!url) return { kind: 'read-only-feed' };
      const consent = (await deps.dataConsent?.()) ?? { report: true, country: true };
      if (!consent.report) return { kind: 'no-consent' };
      const country = settings.shareCountry && consent.country ? countryFromLocales(deps.languages()) : null;
      const body = JSON.stringify({
        service,
        problem,
        ...(country ? { country } : {}),
        client: await deps.clientId(url, deps.now()),
      });
      const controller = new AbortController();
      const cancel = deps.setTimer(() => controller.abort(), deps.thresholds.timeoutMs * 2);
      try {
        const response = await deps.fetch(url, {
          method: 'POST',
          credentials: 'omit',
          headers: { 'content-type': 'application/json' },
          body,
          signal: controller.signal,
        });
        // Redirected from https to http: the answer came over a wire anyone could change, so it
        // is not believed (a 307/308 has resent the report by then; fetch gives no say before).
        if (insecureRedirect(url, response)) {
          await response.body?.cancel().catch(() => undefined);
          deps.log?.('report', { service, outcome: 'rejected', why: 'insecure redirect' });
          return { kind: 'rejected', message: 'insecure redirect' };
        }
        // The answer is a few dozen bytes: more is not read (an oversized one reads as no answer).
        const text = await readLimitedText(response, REPORT_ANSWER_MAX_BYTES).catch(() => '');
        let answer: unknown = null;
        try {
          answer = JSON.parse(text);
        } catch {
          answer = null;
        }
        const outcome = reportOutcome(response.status, answer, response.headers.get('retry-after'));
        deps.log?.('report', { service, outcome: outcome.kind });
        return outcome;
      } catch {
        return { kind: 'unreachable' };
      } finally {
        cancel();
      }
    },
    async snooze(until) {
      const stored = await deps.load();
      const record: CheckRecord = { ...stored, notify: { ...stored.notify, snoozedUntil: until } };
      await deps.saveCheck(record);
      const s = snapshotOf({ ...record, settings: stored.settings });
      await deps.broadcast(s);
      return s;
    },
  };
}
