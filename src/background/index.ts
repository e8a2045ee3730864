// The background entry only wires: listeners are registered synchronously at top level (the worker
// may have been woken by one of them), and every handler awaits the one init promise.

import { noticeText } from '../core/notice-text';
import type { Notice } from '../core/notify';
import { isStale } from '../core/stale';
import { DEFAULT_THRESHOLDS } from '../core/thresholds';
import {
  CHECK_ALARM,
  ensureCheckAlarm,
  OBSERVE_ALARM,
  scheduleCheck,
  scheduleObservationWake,
} from '../platform/alarms';
import { showBadge, showPopupSeed } from '../platform/badge';
import { browser } from '../platform/browser';
import { clientId, dailySampleDraw, forgetOldClientId } from '../platform/client-id';
import { dataConsent } from '../platform/data-consent';
import { translate, uiLocale } from '../platform/i18n';
import { type MuteButton, onNotificationActions, showNotification } from '../platform/notifications';
import { currentHostAccess, onHostAccessChanged, readableOrigins } from '../platform/permissions';
import { serveRequests } from '../platform/serve-requests';
import {
  loadAll,
  loadSettings,
  markChecking,
  onToolbarInputsChanged,
  saveCheck,
  saveMutes,
  saveObserveState,
  saveSettings,
  saveSnooze,
} from '../platform/storage';
import { welcomeOnInstall } from '../platform/tabs';
import { loadToolbar } from '../platform/view-store';
import { realTimer } from '../sources/http';
import type { SourceEnv } from '../sources/source';
import { createActions } from './actions';
import { createBadgePainter } from './badge-painter';
import { createChecker } from './checker';
import { observerFor, postObservation } from './observe-send';

const log = (event: string, data?: Record<string, unknown>) =>
  console.info(JSON.stringify({ event, ...data }));
const logError = (error: unknown) =>
  console.error(
    JSON.stringify({ event: 'error', message: error instanceof Error ? error.message : String(error) }),
  );

const env: SourceEnv = {
  fetch: (input, init) => fetch(input, init),
  clock: () => performance.now(),
  setTimer: realTimer,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
const wording = () => ({ t: translate, locale: uiLocale() });
/**
 * A notification's mute button mutes the apps it names: until they are back for an outage (down, or
 * a reminder of it), for an hour otherwise (back, unstable, only your network).
 */
const muteButton = (notice: Notice): MuteButton => {
  const untilBack = notice.kind === 'down' || notice.kind === 'reminder';
  return {
    label: translate(untilBack ? 'notifyMuteUntilBack' : 'notifyMute'),
    services: notice.services,
    muteFor: untilBack ? 'until-back' : '1h',
  };
};
const thresholds = DEFAULT_THRESHOLDS;
/** Who posts to the feed: the rotating id, the browser's consent and languages (reports and observations). */
const sender = {
  clientId,
  dataConsent,
  languages: () => globalThis.navigator?.languages ?? [uiLocale()],
};

const painter = createBadgePainter({
  load: loadToolbar,
  show: showBadge,
  showSeed: showPopupSeed,
  now: () => Date.now(),
  thresholds,
  wording,
  log,
});

const checker = createChecker({
  load: loadAll,
  markChecking,
  saveCheck,
  env,
  now: () => Date.now(),
  // Unknown (no navigator) counts as online: the controls decide then.
  onLine: () => globalThis.navigator?.onLine !== false,
  canRead: readableOrigins,
  scheduleCheck,
  notify: (id, notice, customApps) =>
    showNotification(id, noticeText(notice, translate, uiLocale(), customApps), muteButton(notice)),
  localMinutes: () => {
    const d = new Date();
    return d.getHours() * 60 + d.getMinutes();
  },
  wording,
  thresholds,
  observe: {
    observer: (settings, now) => observerFor({ ...sender, sampleDraw: dailySampleDraw }, settings, now),
    jitter: () => Math.random(),
    post: (url, observation) => postObservation(env, thresholds.timeoutMs * 2, url, observation),
    save: saveObserveState,
    wake: scheduleObservationWake,
  },
  log,
});

/**
 * Start-up: paint the badge from storage (stale after a sleep shows grey, never stuck red), make sure
 * the alarm exists, and check at once when there is nothing fresh to show, or when the last check was
 * cut off (the worker was stopped in the middle of it).
 */
const ready = (async () => {
  await painter.paint();
  const stored = await loadAll();
  await ensureCheckAlarm(stored.settings.checkIntervalSeconds);
  const stale = isStale(stored.state, Date.now(), stored.settings.checkIntervalSeconds, thresholds);
  if (stale || stored.checking !== null) void checker.check().catch(logError);
})().catch(logError);

const checkNow = () => ready.then(() => checker.check()).catch(logError);

/** Detailed checks as the browser grants them now: Firefox grants none at install, and the user may
 * grant or revoke any of them later, from Detour or from the browser's own settings. */
const logHostAccess = (when: string) =>
  currentHostAccess()
    .then((access) => log('host-access', { when, ...access }))
    .catch(logError);
void logHostAccess('start');

browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === CHECK_ALARM) void checkNow();
  // An observation whose random wait ends before the next check: post it, without probing again.
  if (alarm.name === OBSERVE_ALARM) void ready.then(() => checker.sendPending()).catch(logError);
});
browser.runtime.onInstalled.addListener(({ reason }) => {
  void checkNow();
  // First run only: choose the main app and fallbacks, learn the badge. Never on an update.
  void welcomeOnInstall(reason).catch(logError);
  // Older versions kept one report id forever; ids are now made per feed and day (client-id.ts).
  void forgetOldClientId().catch(logError);
});
browser.runtime.onStartup.addListener(() => void checkNow());
// The network coming back (or going) is news worth a check right away.
globalThis.addEventListener?.('online', () => void checkNow());
globalThis.addEventListener?.('offline', () => void checkNow());
// A grant given or taken back: check again at once, so readable statuses and the captive-portal check
// follow it (the pages watch the grants themselves and update their prompt).
onHostAccessChanged(() => {
  void logHostAccess('changed');
  void checkNow();
});
// The badge follows what is stored: a check's result, a new main app or watched set, from any page.
onToolbarInputsChanged(() => void painter.paint());

const act = createActions({
  checker,
  loadSettings,
  saveSettings,
  saveSnooze,
  saveMute: (service, kind) => saveMutes([service], kind, Date.now()),
  report: {
    loadSettings,
    env,
    now: () => Date.now(),
    ...sender,
    thresholds,
    log,
  },
  onError: logError,
});
serveRequests(async (request) => {
  await ready;
  return act(request);
});

onNotificationActions({
  mute: async (services, muteFor) => {
    await ready;
    await saveMutes(services, muteFor, Date.now());
  },
});
