import type { Snapshot } from '../core/snapshot';
import { DEFAULT_THRESHOLDS } from '../core/thresholds';
import { browser } from '../platform/browser';
import { translate, uiLocale } from '../platform/i18n';
import { request } from '../platform/messaging';
import { readSnapshot, seededSnapshot, watchSnapshot } from '../platform/snapshot';
import type { CoreConnector } from './connector';

const FIRST_READ_FRESH_MS = 1000;

/** The part of the browser connector a first paint needs: state from storage, the plain actions. */
export function browserCoreConnector(): CoreConnector {
  // Asked at once, before the page renders anything: the answer travels while the page sets up.
  // Pages ask at mount; an answer older than FIRST_READ_FRESH_MS is read again, never shown stale.
  let first: Promise<Snapshot> | null = readSnapshot(DEFAULT_THRESHOLDS);
  first.catch(() => undefined); // a failure is the first getState's to report
  const askedAt = Date.now();
  return {
    t: translate,
    locale: uiLocale(),
    dir: browser.i18n.getMessage('@@bidi_dir') === 'rtl' ? 'rtl' : 'ltr',
    seed: seededSnapshot(globalThis.location?.search ?? '', DEFAULT_THRESHOLDS),
    getState: () => {
      const fresh = first !== null && Date.now() - askedAt < FIRST_READ_FRESH_MS;
      const answer = fresh && first ? first : readSnapshot(DEFAULT_THRESHOLDS);
      first = null;
      return answer;
    },
    subscribe: (listener) => watchSnapshot(DEFAULT_THRESHOLDS, listener),
    checkNow: () => request('check-now').then(() => undefined),
    updateSettings: (patch) => request('update-settings', { patch }).then(() => undefined),
    snooze: (until) => request('snooze', { until }).then(() => undefined),
    openOptions: () => void browser.runtime.openOptionsPage(),
  };
}
