import { type CrowdCache, readCrowdCache } from '../core/crowd';
import type { History } from '../core/history';
import { type MuteFor, type Mutes, readMutes, withMute } from '../core/mutes';
import type { NotifyState } from '../core/notify';
import { type ObserveState, readObserveState } from '../core/observe';
import type { OfficialCache } from '../core/official/types';
import type { Outage } from '../core/outages';
import type { ServiceId } from '../core/services';
import { readSettings, type Settings } from '../core/settings';
import type { CheckingMark } from '../core/snapshot';
import type { CheckRecord } from '../core/step';
import {
  readCheckingMark,
  readHistory,
  readMonitorState,
  readOutages,
  readSnoozedUntil,
} from '../core/stored';
import { readNotifyState, readOfficialCache } from '../core/stored-checks';
import { browser } from './browser';
import { KEYS } from './storage-keys';
import { TOOLBAR_KEYS } from './view-store';

export { KEYS };

/** What the background reads at the start of a check (and for the badge). */
export interface Stored extends CheckRecord {
  readonly settings: Settings;
  /** Apps muted one by one: an input of the check, never written by it. */
  readonly mutes: Mutes;
  readonly checking: CheckingMark | null;
  readonly repairedSettings: readonly string[];
}

export async function loadAll(): Promise<Stored> {
  const raw = await browser.storage.local.get(Object.values(KEYS));
  const { settings, repaired } = readSettings(raw[KEYS.settings]);
  const notify = readNotifyState(raw[KEYS.notify]);
  // Older versions kept the pause inside the notification state: it moves to its own key once.
  if (raw[KEYS.snoozedUntil] === undefined && notify.snoozedUntil !== null)
    await saveSnooze(notify.snoozedUntil);
  return {
    settings,
    repairedSettings: repaired,
    state: readMonitorState(raw[KEYS.state]),
    history: readHistory(raw[KEYS.history]),
    officialCache: readOfficialCache(raw[KEYS.official]),
    notify: { ...notify, snoozedUntil: readSnoozedUntil(raw[KEYS.snoozedUntil], notify.snoozedUntil) },
    outages: readOutages(raw[KEYS.outages]),
    crowdCache: readCrowdCache(raw[KEYS.crowd]),
    observe: readObserveState(raw[KEYS.observe]),
    checking: readCheckingMark(raw[KEYS.checking]),
    mutes: readMutes(raw[KEYS.mutes]),
  };
}

/** Calls back when anything the toolbar button is painted from changes (view-store.ts TOOLBAR_KEYS). */
export function onToolbarInputsChanged(listener: () => void): void {
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && TOOLBAR_KEYS.some((k) => Object.hasOwn(changes, k))) listener();
  });
}

/**
 * Mutes or unmutes apps now, in one write (one repaint, one re-read by open pages): their own key, so
 * a check that ends meanwhile never undoes it.
 */
export async function saveMutes(ids: readonly ServiceId[], kind: MuteFor | null, now: number): Promise<void> {
  const raw = await browser.storage.local.get([KEYS.state, KEYS.mutes]);
  const state = readMonitorState(raw[KEYS.state]);
  const mutes = ids.reduce((m, id) => withMute(m, state, id, kind, now), readMutes(raw[KEYS.mutes]));
  await browser.storage.local.set({ [KEYS.mutes]: mutes });
}

export async function loadSettings(): Promise<Settings> {
  const raw = await browser.storage.local.get(KEYS.settings);
  return readSettings(raw[KEYS.settings]).settings;
}

export async function saveSettings(settings: Settings): Promise<void> {
  await browser.storage.local.set({ [KEYS.settings]: settings });
}

export async function markChecking(since: number): Promise<void> {
  await browser.storage.local.set({ [KEYS.checking]: { since } satisfies CheckingMark });
}

/**
 * Saves a check's record in one write, so a killed worker never leaves its parts out of step, and
 * clears the running mark. The pause is not part of it: it has its own key (saveSnooze), so a pause
 * set while the check ran is never undone by it.
 */
export async function saveCheck(record: CheckRecord): Promise<void> {
  const notify: NotifyState = { ...record.notify, snoozedUntil: null };
  await browser.storage.local.set({
    [KEYS.state]: record.state,
    [KEYS.history]: record.history satisfies History,
    [KEYS.official]: record.officialCache satisfies OfficialCache,
    [KEYS.notify]: notify,
    [KEYS.outages]: record.outages satisfies readonly Outage[],
    [KEYS.crowd]: record.crowdCache satisfies CrowdCache | null,
    [KEYS.observe]: record.observe satisfies ObserveState,
    [KEYS.checking]: null,
  });
}

/** What came of a post (or a send-only pass): the observation state alone. */
export async function saveObserveState(state: ObserveState): Promise<void> {
  await browser.storage.local.set({ [KEYS.observe]: state });
}

/** 0 stands for "not paused": some stores drop keys set to null, which would bring an old pause back. */
export async function saveSnooze(until: number | null): Promise<void> {
  await browser.storage.local.set({ [KEYS.snoozedUntil]: until ?? 0 });
}
