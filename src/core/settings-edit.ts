// Changing the settings: checking a partial update key by key before it is stored, and the feed and
// status-page addresses a user types. Kept apart from reading them (settings.ts), which the popup's
// first paint needs on its own.

import { INVALID, type Read } from './plain-read';
import {
  feedUrlProblem,
  KEY_READERS,
  MAX_INTERVAL_SECONDS,
  MIN_INTERVAL_SECONDS,
  readSettings,
  type Settings,
} from './settings';

type Raw = Record<string, unknown>;

/** What is wrong with a value a key refused, in words (the readers are in settings.ts). */
const KEY_PROBLEMS: Record<keyof typeof KEY_READERS, string> = {
  primary: 'unknown service',
  watched: 'must be a list of known services',
  fallbacks: 'must be a list of known channels',
  checkIntervalSeconds: `must be a whole number of seconds from ${MIN_INTERVAL_SECONDS} to ${MAX_INTERVAL_SECONDS}`,
  notifications: 'must be true or false',
  feedUrl: 'must be an https:// URL (http:// only for localhost), or empty',
  handles: 'must be an object of handles',
  reminderMinutes: 'must be 0 or a whole number of minutes from 30 to 1440',
  quietHours: 'must be null or {start, end} in minutes',
  alertOn: 'must be "both", "down" or "back"',
  shareCountry: 'must be true or false',
  shareObservations: 'must be true or false',
  customApps: 'must be a list of apps ({id, name, url, statusUrl, openUrl})',
  statusPages: 'status pages must be https:// URLs ending in /api/v2/summary.json or /api/v2/status.json',
};

/** Validates a partial update before it is stored; returns the problems by key. */
export function validateSettingsPatch(patch: Raw): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const [key, value] of Object.entries(patch)) {
    const reader = KEY_READERS[key as keyof typeof KEY_READERS];
    if (!reader) {
      problems[key] = 'unknown setting';
      continue;
    }
    if (key === 'feedUrl' && typeof value === 'string' && value !== '') {
      const problem = feedUrlProblem(value);
      if (problem) {
        problems[key] = problem;
        continue;
      }
    }
    const read = (reader as Read<unknown>)(value);
    // The stored list is read item by item, dropping a bad app alone; an update must not lose one
    // silently (an http address, a name taken twice): it is refused whole, with the reason.
    const dropped =
      key === 'customApps' && Array.isArray(read) && Array.isArray(value) && read.length < value.length;
    if (read === INVALID || dropped) problems[key] = KEY_PROBLEMS[key as keyof typeof KEY_READERS];
  }
  return problems;
}

/**
 * Where the feed document is read: a base URL gets the protocol's path, a URL of a .json file (a
 * static, read-only feed) is read as it is.
 */
export function feedDocumentUrl(feedUrl: string): string {
  const url = new URL(feedUrl);
  if (url.pathname.endsWith('.json')) return url.toString();
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/feed`;
  return url.toString();
}

/** Where reports are posted; null for a static feed, which cannot take reports. */
export function feedReportUrl(feedUrl: string): string | null {
  return feedPostUrl(feedUrl, 'reports');
}

/** Where observations are posted (src/core/observe.ts); null for a static feed. */
export function feedObservationUrl(feedUrl: string): string | null {
  return feedPostUrl(feedUrl, 'observations');
}

function feedPostUrl(feedUrl: string, endpoint: 'reports' | 'observations'): string | null {
  const url = new URL(feedUrl);
  if (url.pathname.endsWith('.json')) return null;
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/${endpoint}`;
  return url.toString();
}

export function applySettingsPatch(current: Settings, patch: Partial<Omit<Settings, 'version'>>): Settings {
  return readSettings({ ...current, ...patch }).settings;
}
