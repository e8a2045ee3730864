import { DEFAULT_THRESHOLDS } from '../core/thresholds';
import { browser } from '../platform/browser';
import { askReportConsent } from '../platform/data-consent';
import { translate, uiLocale } from '../platform/i18n';
import { request } from '../platform/messaging';
import {
  currentHostAccess,
  onHostAccessChanged,
  requestDetailedChecks,
  turnOffDetailedChecks,
} from '../platform/permissions';
import { readSnapshot, watchSnapshot } from '../platform/snapshot';
import type { Connector } from './connector';

/**
 * The real connector: state from storage, actions through the typed message protocol to the background.
 * What a page needs only after its first paint (contacts, the shortcut, opening a page) is imported
 * when first asked for. Permissions and the data consent stay: browsers grant them only from the
 * click itself, with no wait before the call.
 */
export function browserConnector(): Connector {
  return {
    t: translate,
    locale: uiLocale(),
    dir: browser.i18n.getMessage('@@bidi_dir') === 'rtl' ? 'rtl' : 'ltr',
    getState: () => readSnapshot(DEFAULT_THRESHOLDS),
    subscribe: (listener) => watchSnapshot(DEFAULT_THRESHOLDS, listener),
    checkNow: () => request('check-now').then(() => undefined),
    updateSettings: (patch) => request('update-settings', { patch }).then(() => undefined),
    snooze: (until) => request('snooze', { until }).then(() => undefined),
    // Firefox asks for its data consent first, from the same click (a user gesture).
    report: (service, problem) =>
      askReportConsent().then((ok) =>
        ok ? request('report', { service, problem }) : { kind: 'no-consent' as const },
      ),
    loadContacts: () => import('../platform/contacts-store').then((m) => m.loadContacts()),
    saveContacts: (contacts) => import('../platform/contacts-store').then((m) => m.saveContacts(contacts)),
    copy: (text) => navigator.clipboard.writeText(text),
    openOptions: () => void browser.runtime.openOptionsPage(),
    openWelcome: (section) =>
      void import('../platform/tabs').then((m) => m.openExtensionPage(m.WELCOME_PAGE, section)),
    shortcut: () => import('../platform/commands').then((m) => m.actionShortcut()),
    hostAccess: currentHostAccess,
    // Must run inside the click handler: browsers only grant permissions on a user gesture.
    requestDetailedChecks,
    turnOffDetailedChecks,
    watchHostAccess: onHostAccessChanged,
  };
}
