/** Storage keys, all in storage.local: the worker may die at any moment, so nothing lives in memory. */
export const KEYS = {
  settings: 'settings',
  state: 'state',
  history: 'history',
  official: 'official',
  notify: 'notify',
  outages: 'outages',
  crowd: 'crowd',
  /** What this browser last told the feed of its probes, and what waits to be told (observe.ts). */
  observe: 'observe',
  /** Notifications paused until then: its own key, so a check that ends meanwhile never undoes a pause. */
  snoozedUntil: 'snoozedUntil',
  /** Apps muted one by one (src/core/mutes.ts): their own key too, for the same reason. */
  mutes: 'mutes',
  /** When the running check began: a check cut off by a stopped worker leaves it, and the next wake
   * finishes the job. */
  checking: 'checking',
} as const;
