import { probeOriginPatterns } from '../core/catalog';
import { browser } from '../platform/browser';
import { actionShortcut } from '../platform/commands';
import { loadContacts, saveContacts } from '../platform/contacts-store';
import { translate, uiLocale } from '../platform/i18n';
import { onStateChanged, request } from '../platform/messaging';
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
    report: (service, problem) => request('report', { service, problem }),
    subscribe: onStateChanged,
    loadContacts,
    saveContacts,
    copy: (text) => navigator.clipboard.writeText(text),
    openOptions: () => void browser.runtime.openOptionsPage(),
    openWelcome: (section) => void openExtensionPage(WELCOME_PAGE, section),
    shortcut: actionShortcut,
    hasDetailedChecks: () => browser.permissions.contains({ origins: probeOriginPatterns() }),
    // Must run inside the click handler: browsers only grant permissions on a user gesture.
    requestDetailedChecks: () => browser.permissions.request({ origins: probeOriginPatterns() }),
  };
}
