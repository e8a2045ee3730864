import type { Snapshot } from '../core/snapshot';
import { DEFAULT_THRESHOLDS } from '../core/thresholds';
import { browser } from '../platform/browser';
import { translate, uiDir, uiLocale } from '../platform/i18n';
import { request } from '../platform/messaging';
import { firstPaintWords } from '../platform/seed-words';
import { readSnapshot, seededSnapshot, watchSnapshot } from '../platform/snapshot';
import { readSeed } from '../platform/view-store';
import type { CoreConnector } from './connector';

const FIRST_READ_FRESH_MS = 1000;

/** The part of the browser connector a first paint needs: state from storage, the plain actions. */
export function browserCoreConnector(): CoreConnector {
  // Asked at once, before the page renders anything: the answer travels while the page sets up.
  // Pages ask at mount; an answer older than FIRST_READ_FRESH_MS is read again, never shown stale.
  let first: Promise<Snapshot> | null = readSnapshot(DEFAULT_THRESHOLDS);
  first.catch(() => undefined); // a failure is the first getState's to report
  const askedAt = Date.now();
  const locale = uiLocale();
  // The popup's seed, when the toolbar opened it: its first paint, words and formats included, needs
  // nothing from the browser. Once storage answers, the browser's own words and formats take over.
  const seed = readSeed(globalThis.location?.search ?? '', locale);
  const words = firstPaintWords(seed?.words ?? null, translate);
  // A seeded page hands over storage's answers only once the seeded frame is on screen: that answer
  // is painted with the browser's words and formatters, whose first use in a fresh page process costs
  // 20 ms, which must not hold up the frame that shows the status.
  const seedPainted: Promise<void> = seed
    ? new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))
    : Promise.resolve();
  const fromStorage = (snapshot: Snapshot) => {
    words.drop();
    return snapshot;
  };
  return {
    t: words.t,
    locale,
    dir: seed?.words?.dir ?? uiDir(),
    seed: seededSnapshot(seed, DEFAULT_THRESHOLDS),
    getState: () => {
      const fresh = first !== null && Date.now() - askedAt < FIRST_READ_FRESH_MS;
      const answer = fresh && first ? first : readSnapshot(DEFAULT_THRESHOLDS);
      first = null;
      return answer.then((snapshot) => seedPainted.then(() => fromStorage(snapshot)));
    },
    subscribe: (listener) =>
      watchSnapshot(DEFAULT_THRESHOLDS, (snapshot) =>
        seedPainted.then(() => listener(fromStorage(snapshot))),
      ),
    checkNow: () => request('check-now').then(() => undefined),
    updateSettings: (patch) => request('update-settings', { patch }).then(() => undefined),
    snooze: (until) => request('snooze', { until }).then(() => undefined),
    openOptions: () => void browser.runtime.openOptionsPage(),
  };
}
