// What the pages read from storage, every piece validated: the popup paints from one read of these,
// without the background. Apart from storage.ts (the background's reads and writes) so the popup loads
// only what it reads: the crowd feed's schemas, for one, only when a feed is set.

import { readMutes } from '../core/mutes';
import { rememberCustomApps } from '../core/services';
import { readSettings, type SettingsReadResult } from '../core/settings';
import type { StoredView } from '../core/snapshot';
import {
  readCheckingMark,
  readHistory,
  readMonitorState,
  readOutages,
  readSnoozedUntil,
} from '../core/stored';
import { browser } from './browser';
import { KEYS } from './storage-keys';

const VIEW_KEYS = [
  KEYS.settings,
  KEYS.state,
  KEYS.history,
  KEYS.outages,
  KEYS.crowd,
  KEYS.snoozedUntil,
  KEYS.checking,
  KEYS.mutes,
];

/**
 * Settings as stored, read and validated; the user's own apps they hold become the names and entries
 * this page or worker looks up (src/core/services.ts). Every load of stored settings goes through here.
 */
export function readStoredSettings(stored: unknown): SettingsReadResult {
  const read = readSettings(stored);
  rememberCustomApps(read.settings.customApps);
  return read;
}

export async function loadView(): Promise<StoredView> {
  const raw = await browser.storage.local.get(VIEW_KEYS);
  const settings = readStoredSettings(raw[KEYS.settings]).settings;
  // Most people set no feed: then the feed's schemas are never loaded.
  const crowdCache = settings.feedUrl
    ? (await import('../core/crowd')).readCrowdCache(raw[KEYS.crowd])
    : null;
  return {
    settings,
    state: readMonitorState(raw[KEYS.state]),
    history: readHistory(raw[KEYS.history]),
    outages: readOutages(raw[KEYS.outages]),
    crowdCache,
    // An older version's pause, kept in the notification state, is moved to its own key by the
    // background at its first start after the update.
    snoozedUntil: readSnoozedUntil(raw[KEYS.snoozedUntil], null),
    checking: readCheckingMark(raw[KEYS.checking]),
    mutes: readMutes(raw[KEYS.mutes]),
  };
}

/** Calls back when anything a page shows changed in storage; returns an unsubscribe. */
export function onViewChanged(listener: () => void): () => void {
  const wrapped = (changes: Record<string, unknown>, area: string) => {
    if (area === 'local' && VIEW_KEYS.some((k) => Object.hasOwn(changes, k))) listener();
  };
  browser.storage.onChanged.addListener(wrapped);
  return () => browser.storage.onChanged.removeListener(wrapped);
}
