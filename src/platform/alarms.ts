import { browser } from './browser';

export const CHECK_ALARM = 'detour-check';

/**
 * The next check, and a period behind it: if the worker dies in the middle of a check, the period
 * still brings the next one. Re-creating the alarm replaces the previous one.
 */
export async function scheduleCheck(delaySeconds: number, intervalSeconds: number): Promise<void> {
  await browser.alarms.create(CHECK_ALARM, {
    delayInMinutes: delaySeconds / 60,
    periodInMinutes: intervalSeconds / 60,
  });
}

/** On start-up: the alarm survives most restarts, but not all (browser update, profile copy). */
export async function ensureCheckAlarm(intervalSeconds: number): Promise<boolean> {
  const existing = await browser.alarms.get(CHECK_ALARM);
  if (existing && existing.periodInMinutes === intervalSeconds / 60) return false;
  await scheduleCheck(intervalSeconds, intervalSeconds);
  return true;
}

/** A one-shot wake-up to post an observation whose random wait ends before the next check. */
export const OBSERVE_ALARM = 'detour-observe';

/**
 * Wakes the worker at `at` (ms since the epoch) to post a pending observation; null clears it. Chrome
 * fires a packed extension's alarms 30 s after creation at the soonest: a post due sooner waits that long.
 */
export async function scheduleObservationWake(at: number | null): Promise<void> {
  if (at === null) await browser.alarms.clear(OBSERVE_ALARM);
  else await browser.alarms.create(OBSERVE_ALARM, { when: at });
}
