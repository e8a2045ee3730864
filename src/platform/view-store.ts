// What the pages read from storage, every piece validated: the popup paints from one read of these,
// without the background. Apart from storage.ts (the background's reads and writes) so the popup loads
// only what it reads: the crowd feed's schemas, for one, only when a feed is set.

import type { CrowdCache } from '../core/crowd';
import { type Mutes, readMutes } from '../core/mutes';
import { readSettings, type Settings } from '../core/settings';
import type { StoredView } from '../core/snapshot';
import {
  readCheckingMark,
  readHistory,
  readMonitorState,
  readOutages,
  readSnoozedUntil,
} from '../core/stored';
import type { MonitorState } from '../core/types';
import { browser } from './browser';
import { packSeed, unpackSeed } from './seed-codec';
import { readSeedWords, type SeedWords, seedWordsOf } from './seed-words';
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

export async function loadView(): Promise<StoredView> {
  const raw = await browser.storage.local.get(VIEW_KEYS);
  const settings = readSettings(raw[KEYS.settings]).settings;
  // Most people set no feed: then the feed's schemas are never loaded.
  const readCrowd = settings.feedUrl ? (await import('../core/crowd')).readCrowdCache : () => null;
  return viewOf(raw, settings, readCrowd);
}

/** The view from raw stored values, every piece validated. */
function viewOf(
  raw: Record<string, unknown>,
  settings: Settings,
  readCrowd: (stored: unknown) => CrowdCache | null,
): StoredView {
  return {
    settings,
    state: readMonitorState(raw[KEYS.state]),
    history: readHistory(raw[KEYS.history]),
    outages: readOutages(raw[KEYS.outages]),
    crowdCache: readCrowd(raw[KEYS.crowd]),
    // An older version's pause, kept in the notification state, is moved to its own key by the
    // background at its first start after the update.
    snoozedUntil: readSnoozedUntil(raw[KEYS.snoozedUntil], null),
    checking: readCheckingMark(raw[KEYS.checking]),
    mutes: readMutes(raw[KEYS.mutes]),
  };
}

/**
 * The popup's seed: what its first paint needs, as stored, packed (seed-codec.ts) into the query of the
 * page the toolbar button opens (src/background/badge-painter.ts keeps it there). The popup then paints
 * at once, without waiting for a storage read (5 to 18 ms for the answer in a page that is loading),
 * and reads storage right after to follow it. History and past outages are left out (the extras that show them
 * wait for that read), and so is a feed: its reader is not part of the first paint's file, so a popup
 * with a feed reads storage first.
 */
export const SEED_PARAM = 'view';
/** A cap on what the toolbar's page carries; past it (hundreds of reasons, say) the popup reads storage. */
const SEED_MAX_CHARS = 64 * 1024;
/** And on the JSON it unpacks to (a real one: 3 KB): a packed seed could claim far more. */
const SEED_MAX_JSON_BYTES = 128 * 1024;

/** What the toolbar button is painted from: the badge's state, settings and mutes; the seed's too. */
export const TOOLBAR_KEYS = [KEYS.settings, KEYS.state, KEYS.mutes, KEYS.snoozedUntil, KEYS.checking];

export interface ToolbarInputs {
  readonly state: MonitorState;
  readonly settings: Settings;
  readonly mutes: Mutes;
  /** The popup's seed as a query string, or null when the popup must read storage. */
  readonly seed: string | null;
}

/** The badge's inputs and the popup's seed, from one storage read. */
export async function loadToolbar(): Promise<ToolbarInputs> {
  const raw = await browser.storage.local.get(TOOLBAR_KEYS);
  const settings = readSettings(raw[KEYS.settings]).settings;
  const state = readMonitorState(raw[KEYS.state]);
  return {
    state,
    settings,
    mutes: readMutes(raw[KEYS.mutes]),
    seed: settings.feedUrl === '' ? await seedQuery(raw, seedWordsOf(state, settings)) : null,
  };
}

/** The seed of `raw`, with its first paint's words. */
async function seedQuery(raw: Record<string, unknown>, words: SeedWords): Promise<string | null> {
  // The user's own handles (a phone number, say) are for the away message, which waits for the read.
  const stored = raw[KEYS.settings];
  const fields =
    typeof stored === 'object' && stored !== null
      ? { ...raw, [KEYS.settings]: { ...stored, handles: {} } }
      : raw;
  const json = JSON.stringify({ ...fields, [WORDS_FIELD]: words });
  // The popup refuses a seed past either cap: packing one would only make it read storage later.
  if (new TextEncoder().encode(json).length > SEED_MAX_JSON_BYTES) return null;
  const query = new URLSearchParams({ [SEED_PARAM]: await packSeed(json) }).toString();
  return query.length <= SEED_MAX_CHARS ? query : null;
}

/** The seed's field for the first paint's words and formats (seed-words.ts): no storage key. */
const WORDS_FIELD = 'words';

export interface Seed {
  readonly view: StoredView;
  /** Null when the seed has none for the page's locale: the page asks the browser. */
  readonly words: SeedWords | null;
}

/**
 * What a seed carries (a page's `location.search`), validated like a storage read: a query can be
 * typed by anyone. Null when there is none, or it is not one the popup can paint from.
 */
export function readSeed(search: string, locale: string): Seed | null {
  if (search.length > SEED_MAX_CHARS + 1) return null;
  const packed = new URLSearchParams(search).get(SEED_PARAM);
  const json = packed === null ? null : unpackSeed(packed, SEED_MAX_JSON_BYTES);
  if (json === null) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const fields = raw as Record<string, unknown>;
  const settings = readSettings(fields[KEYS.settings]).settings;
  if (settings.feedUrl !== '') return null;
  return { view: viewOf(fields, settings, () => null), words: readSeedWords(fields[WORDS_FIELD], locale) };
}

/** Calls back when anything a page shows changed in storage; returns an unsubscribe. */
export function onViewChanged(listener: () => void): () => void {
  const wrapped = (changes: Record<string, unknown>, area: string) => {
    if (area === 'local' && VIEW_KEYS.some((k) => Object.hasOwn(changes, k))) listener();
  };
  browser.storage.onChanged.addListener(wrapped);
  return () => browser.storage.onChanged.removeListener(wrapped);
}
