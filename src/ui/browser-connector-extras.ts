import { actionShortcut } from '../platform/commands';
import { loadContacts, saveContacts } from '../platform/contacts-store';
import { askReportConsent } from '../platform/data-consent';
import { request } from '../platform/messaging';
import {
  currentHostAccess,
  onHostAccessChanged,
  requestDetailedChecks,
  turnOffDetailedChecks,
} from '../platform/permissions';
import { openExtensionPage, WELCOME_PAGE } from '../platform/tabs';
import type { Connector, CoreConnector } from './connector';

/**
 * The rest of the browser connector: reports, contacts, the shortcut, other pages, permissions. The
 * popup loads it with its extras, after the first paint; it is loaded before any of its buttons exist,
 * so a click still reaches the permission and consent prompts at once (browsers show them only from
 * the click itself).
 */
export function browserConnectorExtras(): Omit<Connector, keyof CoreConnector> {
  return {
    // Firefox asks for its data consent first, from the same click (a user gesture).
    report: (service, problem) =>
      askReportConsent().then((ok) =>
        ok ? request('report', { service, problem }) : { kind: 'no-consent' as const },
      ),
    mute: (service, kind) => request('mute', { service, for: kind }).then(() => undefined),
    loadContacts,
    saveContacts,
    copy: (text) => navigator.clipboard.writeText(text),
    openWelcome: (section) => void openExtensionPage(WELCOME_PAGE, section),
    shortcut: actionShortcut,
    hostAccess: currentHostAccess,
    // Must run inside the click handler: browsers only grant permissions on a user gesture.
    requestDetailedChecks,
    turnOffDetailedChecks,
    // From the click that turns sharing on, as Firefox asks only during a user gesture. Observations
    // are the same kind of data as a report (service ids with up or down, a rotating id), so the same
    // consent covers both; the country stays the separate "location" choice.
    askShareConsent: askReportConsent,
    watchHostAccess: onHostAccessChanged,
  };
}
