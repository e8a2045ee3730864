// The words and number formats of the popup's first paint, carried in its seed with the view
// (view-store.ts). A popup opened while the worker sleeps starts a fresh page process, where the first
// i18n.getMessage fetches the message catalogue (5 to 8 ms) and the first Intl formatter loads the
// locale's data (12 to 15 ms): together more than the rest of its first paint. The background learns
// both once per worker life, and the popup paints its first frame with them.
//
// They serve that first frame only. Anyone can type a seed, so the popup goes back to the browser's
// own words and formatters as soon as storage answers: a forged word lasts no longer than a forged
// status does.

import { firstPaintKeys, firstPaintKeysOf, firstPaintKit } from '../core/first-paint-words';
import type { Translate } from '../core/format';
import { type FormatKit, makeFormatKit, readFormatKit, useFormatKit } from '../core/format-kit';
import { dropStandIns } from '../core/intl-cache';
import type { MessageKey } from '../core/messages';
import type { Settings } from '../core/settings';
import type { MonitorState } from '../core/types';
import { browser } from './browser';
import { uiDir, uiLocale } from './i18n';

export interface SeedWords {
  /** The UI locale they were learnt in: a popup in another one ignores them. */
  readonly locale: string;
  readonly dir: 'ltr' | 'rtl';
  /** Message templates by key, with private-use slots where getMessage puts $1…$9. */
  readonly messages: Readonly<Record<string, string>>;
  readonly kit: FormatKit | null;
}

// Private-use characters passed to getMessage as the substitutions: where they come back is where a
// page's own substitutions go. getMessage takes at most nine.
const SLOT_BASE = 0xe000;
const SLOT = /[\uE000-\uE008]/g;
const MAX_MESSAGE = 500;
const MAX_MESSAGES = 100;

let learnt: SeedWords | null = null;

/**
 * The words of the first paint in the browser's UI locale, learnt once per worker life: all of them,
 * or those of `keys` (firstPaintKeysOf: one view's first paint).
 */
export function seedWords(keys?: readonly string[]): SeedWords {
  const locale = uiLocale();
  if (learnt?.locale !== locale) {
    const slots = Array.from({ length: 9 }, (_, i) => String.fromCharCode(SLOT_BASE + i));
    const messages: Record<string, string> = {};
    for (const key of firstPaintKeys(locale)) {
      const template = browser.i18n.getMessage(key, slots);
      if (template !== '') messages[key] = template;
    }
    learnt = { locale, dir: uiDir(), messages, kit: makeFormatKit(locale) };
  }
  if (!keys) return learnt;
  const messages: Record<string, string> = {};
  for (const key of keys) {
    const template = learnt.messages[key];
    if (template !== undefined) messages[key] = template;
  }
  return { ...learnt, messages };
}

/** The words and formats the first paint of this view uses (firstPaintKeysOf, firstPaintKit). */
export function seedWordsOf(state: MonitorState, settings: Settings): SeedWords {
  const keys = firstPaintKeysOf(state, settings, uiLocale());
  const words = seedWords(keys);
  return { ...words, kit: words.kit && firstPaintKit(words.kit, keys, state, settings) };
}

/** Words read from a seed, as warily as the rest of it; null when they are not for `locale`. */
export function readSeedWords(raw: unknown, locale: string): SeedWords | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if (r.locale !== locale || (r.dir !== 'ltr' && r.dir !== 'rtl')) return null;
  const stored = typeof r.messages === 'object' && r.messages !== null ? r.messages : {};
  // Any key may come, but only a page's own keys are ever asked for (the list stays out of the page).
  const messages: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(stored).slice(0, MAX_MESSAGES)) {
    if (typeof value === 'string' && value.length <= MAX_MESSAGE) messages[key] = value;
  }
  const kit = readFormatKit(r.kit);
  return { locale, dir: r.dir, messages, kit: kit?.locale === locale ? kit : null };
}

/** A template with a page's substitutions put where getMessage would put them. */
export function fillSlots(template: string, substitutions: readonly (string | number)[] = []): string {
  return template.replace(SLOT, (slot) => String(substitutions[slot.charCodeAt(0) - SLOT_BASE] ?? ''));
}

/**
 * A first paint's words and formats: `t` answers from the seed's words, else from `fallback`, until
 * `drop`, after which only `fallback` answers and Intl formats everything.
 */
export function firstPaintWords(
  words: SeedWords | null,
  fallback: Translate,
): { t: Translate; drop: () => void } {
  let current = words;
  if (current?.kit) useFormatKit(current.kit);
  return {
    t: (key: MessageKey, substitutions) => {
      const template = current?.messages[key];
      return template === undefined ? fallback(key, substitutions) : fillSlots(template, substitutions);
    },
    drop: () => {
      if (current === null) return;
      current = null;
      dropStandIns();
    },
  };
}
