import type { History } from '../core/history';
import type { NotifyState } from '../core/notify';
import type { Outage } from '../core/outages';
import { readSettings, type Settings } from '../core/settings';
import {
  readHistory,
  readMonitorState,
  readNotifyState,
  readOfficialCache,
  readOutages,
} from '../core/stored';
import type { MonitorState } from '../core/types';
import { type CrowdCache, readCrowdCache } from '../sources/crowd';
import type { OfficialCache } from '../sources/official';
import { browser } from './browser';

/** Storage keys, all in storage.local: the worker may die at any moment, so nothing lives in memory. */
export const KEYS = {
  settings: 'settings',
  state: 'state',
  history: 'history',
  official: 'official',
  notify: 'notify',
  outages: 'outages',
  crowd: 'crowd',
} as const;

/** What a check cycle reads and writes back. */
export interface CheckRecord {
  readonly state: MonitorState;
  readonly history: History;
  readonly officialCache: OfficialCache;
  readonly notify: NotifyState;
  readonly outages: readonly Outage[];
  readonly crowdCache: CrowdCache | null;
}

export interface Stored extends CheckRecord {
  readonly settings: Settings;
}

export async function loadAll(): Promise<Stored & { repairedSettings: readonly string[] }> {
  const raw = await browser.storage.local.get(Object.values(KEYS));
  const { settings, repaired } = readSettings(raw[KEYS.settings]);
  return {
    settings,
    repairedSettings: repaired,
    state: readMonitorState(raw[KEYS.state]),
    history: readHistory(raw[KEYS.history]),
    officialCache: readOfficialCache(raw[KEYS.official]),
    notify: readNotifyState(raw[KEYS.notify]),
    outages: readOutages(raw[KEYS.outages]),
    crowdCache: readCrowdCache(raw[KEYS.crowd]),
  };
}

export async function loadSettings(): Promise<Settings> {
  const raw = await browser.storage.local.get(KEYS.settings);
  return readSettings(raw[KEYS.settings]).settings;
}

export async function saveSettings(settings: Settings): Promise<void> {
  await browser.storage.local.set({ [KEYS.settings]: settings });
}

export async function saveCheck(record: CheckRecord): Promise<void> {
  // One write for all, so a killed worker never leaves them out of step.
  await browser.storage.local.set({
    [KEYS.state]: record.state,
    [KEYS.history]: record.history,
    [KEYS.official]: record.officialCache,
    [KEYS.notify]: record.notify,
    [KEYS.outages]: record.outages,
    [KEYS.crowd]: record.crowdCache,
  });
}

export async function saveNotifyState(notify: NotifyState): Promise<void> {
  await browser.storage.local.set({ [KEYS.notify]: notify });
}

/** Calls back when the settings change from anywhere (options page, another window). */
export function onSettingsChanged(listener: (settings: Settings) => void): void {
  browser.storage.onChanged.addListener((changes, area) => {
    const change = changes[KEYS.settings];
    if (area === 'local' && change) listener(readSettings(change.newValue).settings);
  });
}
