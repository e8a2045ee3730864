import { DEFAULT_THRESHOLDS } from '../core/thresholds';
import { browser } from '../platform/browser';
import { actionShortcut } from '../platform/commands';
import { loadContacts, saveContacts } from '../platform/contacts-store';
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
import { openExtensionPage, WELCOME_PAGE } from '../platform/tabs';
import type { Connector } from './connector';

/** The real connector: state from storage, actions through the typed message protocol to the background. */
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
    loadContacts,
    saveContacts,
    copy: (text) => navigator.clipboard.writeText(text),
    openOptions: () => void browser.runtime.openOptionsPage(),
    openWelcome: (section) => void openExtensionPage(WELCOME_PAGE, section),
    shortcut: actionShortcut,
    hostAccess: currentHostAccess,
    // Must run inside the click handler: browsers only grant permissions on a user gesture.
    requestDetailedChecks,
    turnOffDetailedChecks,
    watchHostAccess: onHostAccessChanged,
  };
}
