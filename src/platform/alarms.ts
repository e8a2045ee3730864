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
