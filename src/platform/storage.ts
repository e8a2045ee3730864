import type { History } from '../core/history';
import { readSettings, type Settings } from '../core/settings';
import { readHistory, readMonitorState } from '../core/stored';
import type { MonitorState } from '../core/types';
import { browser } from './browser';

/** Storage keys, all in storage.local: the worker may die at any moment, so nothing lives in memory. */
export const KEYS = { settings: 'settings', state: 'state', history: 'history' } as const;

export interface Stored {
  readonly settings: Settings;
  readonly state: MonitorState;
  readonly history: History;
}

export async function loadAll(): Promise<Stored & { repairedSettings: readonly string[] }> {
  const raw = await browser.storage.local.get([KEYS.settings, KEYS.state, KEYS.history]);
  const { settings, repaired } = readSettings(raw[KEYS.settings]);
  return {
    settings,
    repairedSettings: repaired,
    state: readMonitorState(raw[KEYS.state]),
    history: readHistory(raw[KEYS.history]),
  };
}

export async function loadSettings(): Promise<Settings> {
  const raw = await browser.storage.local.get(KEYS.settings);
  return readSettings(raw[KEYS.settings]).settings;
}

export async function saveSettings(settings: Settings): Promise<void> {
  await browser.storage.local.set({ [KEYS.settings]: settings });
}

export async function saveCheck(state: MonitorState, history: History): Promise<void> {
  // One write for both, so a killed worker never leaves them out of step.
  await browser.storage.local.set({ [KEYS.state]: state, [KEYS.history]: history });
}

/** Calls back when the settings change from anywhere (options page, another window). */
export function onSettingsChanged(listener: (settings: Settings) => void): void {
  browser.storage.onChanged.addListener((changes, area) => {
    const change = changes[KEYS.settings];
    if (area === 'local' && change) listener(readSettings(change.newValue).settings);
  });
}
