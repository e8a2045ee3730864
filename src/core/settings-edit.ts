// Changing the settings: checking a partial update key by key before it is stored, and the feed and
// status-page addresses a user types. Kept apart from reading them (settings.ts), which the popup's
// first paint needs on its own.

import * as v from 'valibot';
import { feedUrlProblem, KEY_SCHEMAS, readSettings, type Settings } from './settings';

type Raw = Record<string, unknown>;

/** Validates a partial update before it is stored; returns the problems by key. */
export function validateSettingsPatch(patch: Raw): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const [key, value] of Object.entries(patch)) {
    const schema = KEY_SCHEMAS[key as keyof typeof KEY_SCHEMAS];
    if (!schema) {
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
    const result = v.safeParse(schema, value);
    if (!result.success) problems[key] = result.issues[0]?.message ?? 'invalid value';
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
  const url = new URL(feedUrl);
  if (url.pathname.endsWith('.json')) return null;
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/reports`;
  return url.toString();
}

export function applySettingsPatch(current: Settings, patch: Partial<Omit<Settings, 'version'>>): Settings {
  return readSettings({ ...current, ...patch }).settings;
}
