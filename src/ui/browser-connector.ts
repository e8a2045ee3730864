import { browser } from '../platform/browser';
import { actionShortcut } from '../platform/commands';
import { loadContacts, saveContacts } from '../platform/contacts-store';
import { askReportConsent } from '../platform/data-consent';
import { translate, uiLocale } from '../platform/i18n';
import { onStateChanged, request } from '../platform/messaging';
import {
  currentHostAccess,
  onHostAccessChanged,
  requestDetailedChecks,
  turnOffDetailedChecks,
} from '../platform/permissions';
import { openExtensionPage, WELCOME_PAGE } from '../platform/tabs';
import type { Connector } from './connector';

/** The real connector: the typed message protocol to the background, and storage for contacts. */
export function browserConnector(): Connector {
  return {
    t: translate,
    locale: uiLocale(),
    dir: browser.i18n.getMessage('@@bidi_dir') === 'rtl' ? 'rtl' : 'ltr',
    getState: () => request('get-state'),
    checkNow: () => request('check-now'),
    updateSettings: (patch) => request('update-settings', { patch }),
    snooze: (until) => request('snooze', { until }),
    // Firefox asks for its data consent first, from the same click (a user gesture).
    report: (service, problem) =>
      askReportConsent().then((ok) =>
        ok ? request('report', { service, problem }) : { kind: 'no-consent' as const },
      ),
    subscribe: onStateChanged,
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
