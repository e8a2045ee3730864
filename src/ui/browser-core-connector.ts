import { DEFAULT_THRESHOLDS } from '../core/thresholds';
import { browser } from '../platform/browser';
import { translate, uiLocale } from '../platform/i18n';
import { request } from '../platform/messaging';
import { readSnapshot, watchSnapshot } from '../platform/snapshot';
import type { CoreConnector } from './connector';

/** The part of the browser connector a first paint needs: state from storage, the plain actions. */
export function browserCoreConnector(): CoreConnector {
  return {
    t: translate,
    locale: uiLocale(),
    dir: browser.i18n.getMessage('@@bidi_dir') === 'rtl' ? 'rtl' : 'ltr',
    getState: () => readSnapshot(DEFAULT_THRESHOLDS),
    subscribe: (listener) => watchSnapshot(DEFAULT_THRESHOLDS, listener),
    checkNow: () => request('check-now').then(() => undefined),
    updateSettings: (patch) => request('update-settings', { patch }).then(() => undefined),
    snooze: (until) => request('snooze', { until }).then(() => undefined),
    openOptions: () => void browser.runtime.openOptionsPage(),
  };
}
