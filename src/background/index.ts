// The background entry only wires: listeners are registered synchronously at top level (the worker
// may have been woken by one of them), and every handler awaits the one init promise.

import { noticeText } from '../core/notice-text';
import { DEFAULT_THRESHOLDS } from '../core/thresholds';
import { CHECK_ALARM, ensureCheckAlarm, scheduleCheck } from '../platform/alarms';
import { showBadge } from '../platform/badge';
import { browser } from '../platform/browser';
import { clientId, forgetOldClientId } from '../platform/client-id';
import { dataConsent } from '../platform/data-consent';
import { translate, uiLocale } from '../platform/i18n';
import { broadcastState, serveRequests } from '../platform/messaging';
import { onNotificationActions, showNotification } from '../platform/notifications';
import { currentHostAccess, onHostAccessChanged, readableOrigins } from '../platform/permissions';
import { loadAll, onSettingsChanged, saveCheck, saveSettings } from '../platform/storage';
import { welcomeOnInstall } from '../platform/tabs';
import { realTimer } from '../sources/http-attempt';
import { createMonitor } from './monitor-service';

const monitor = createMonitor({
  load: loadAll,
  saveCheck,
  saveSettings,
  fetch: (input, init) => fetch(input, init),
  now: () => Date.now(),
  clock: () => performance.now(),
  setTimer: realTimer,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  // Unknown (no navigator) counts as online: the controls decide then.
  onLine: () => globalThis.navigator?.onLine !== false,
  canRead: readableOrigins,
  showBadge,
  scheduleCheck,
  broadcast: broadcastState,
  notify: (id, notice) =>
    showNotification(id, noticeText(notice, translate, uiLocale()), translate('notifyMute')),
  clientId,
  dataConsent,
  languages: () => globalThis.navigator?.languages ?? [uiLocale()],
  localMinutes: () => {
    const d = new Date();
    return d.getHours() * 60 + d.getMinutes();
  },
  translate,
  locale: uiLocale,
  thresholds: DEFAULT_THRESHOLDS,
  log: (event, data) => console.info(JSON.stringify({ event, ...data })),
});

/** Start-up: redraw the badge from storage (stale after a sleep shows grey, never stuck red), make
 * sure the alarm exists, and check at once when there is nothing fresh to show. */
const ready = (async () => {
  const snapshot = await monitor.refreshBadge();
  await ensureCheckAlarm(snapshot.settings.checkIntervalSeconds);
  if (snapshot.stale) void monitor.check().catch(logError);
})().catch(logError);

function logError(error: unknown) {
  console.error(
    JSON.stringify({ event: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
}

const checkNow = () => ready.then(() => monitor.check()).catch(logError);

/** Detailed checks as the browser grants them now: Firefox grants none at install, and the user may
 * grant or revoke any of them later, from Detour or from the browser's own settings. */
const logHostAccess = (when: string) =>
  currentHostAccess()
    .then((access) => console.info(JSON.stringify({ event: 'host-access', when, ...access })))
    .catch(logError);
void logHostAccess('start');

browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === CHECK_ALARM) void checkNow();
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
onSettingsChanged(() => void ready.then(() => monitor.refreshBadge()).catch(logError));

serveRequests(async (request) => {
  await ready;
  switch (request.type) {
    case 'get-state':
      return monitor.snapshot();
    case 'check-now':
      return monitor.check();
    case 'update-settings':
      return monitor.updateSettings(request.patch);
    case 'snooze':
      return monitor.snooze(request.until);
    case 'report':
      return monitor.report(request.service, request.problem);
  }
});

const MUTE_MS = 60 * 60_000;
onNotificationActions({
  mute: () => ready.then(() => monitor.snooze(Date.now() + MUTE_MS)).then(() => undefined),
});
