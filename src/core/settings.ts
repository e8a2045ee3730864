import * as v from 'valibot';
import { type Handles, readHandles } from './handles';
import { CHANNEL_IDS, type ChannelId, SERVICE_IDS, type ServiceId } from './services';

/**
 * User settings. Stored as one object with a version; read through `readSettings`, which migrates
 * old versions in order and validates key by key: one bad value falls back to its default and the
 * rest of the user's choices survive.
 */
export interface Settings {
  readonly version: typeof SETTINGS_VERSION;
  /** The app the user relies on most: named first in the badge title, red badge when it is down. */
  readonly primary: ServiceId;
  readonly watched: readonly ServiceId[];
  /** Where to go instead, in the user's order. */
  readonly fallbacks: readonly ChannelId[];
  readonly checkIntervalSeconds: number;
  readonly notifications: boolean;
  /** Crowd-report feed; empty means no crowd signal. */
  readonly feedUrl: string;
  /** The user's own handles, for the away message. */
  readonly handles: Handles;
  /** Remind while a service stays down: 0 = never (default), else every N ≥ 30 minutes. */
  readonly reminderMinutes: number;
  /** No notifications between these minutes since local midnight; null = none. */
  readonly quietHours: { readonly start: number; readonly end: number } | null;
  /** Extra Atlassian Statuspage URLs (…/api/v2/summary.json) the user added, per service. */
  readonly statusPages: Readonly<Partial<Record<ServiceId, string>>>;
  /** Include the country (from the browser's locale) in problem reports. */
  readonly shareCountry: boolean;
}

export const SETTINGS_VERSION = 2;
export const MIN_INTERVAL_SECONDS = 30; // the alarms API minimum for packed extensions
export const MAX_INTERVAL_SECONDS = 3600;

export const DEFAULT_SETTINGS: Settings = {
  version: SETTINGS_VERSION,
  primary: 'whatsapp',
  watched: ['whatsapp', 'telegram', 'signal'],
  fallbacks: ['telegram', 'signal', 'phone'],
  checkIntervalSeconds: 60,
  notifications: true,
  feedUrl: '',
  handles: {},
  reminderMinutes: 0,
  quietHours: null,
  statusPages: {},
  shareCountry: true,
};

const uniqueList = <T extends string>(ids: readonly T[]) =>
  v.pipe(
    v.array(v.picklist(ids)),
    v.transform((list) => [...new Set(list)]),
  );

/** One schema per key; a key that fails its schema alone is reset. */
export const KEY_SCHEMAS = {
  primary: v.picklist(SERVICE_IDS),
  watched: uniqueList(SERVICE_IDS),
  fallbacks: uniqueList(CHANNEL_IDS),
  checkIntervalSeconds: v.pipe(
    v.number(),
    v.integer(),
    v.minValue(MIN_INTERVAL_SECONDS),
    v.maxValue(MAX_INTERVAL_SECONDS),
  ),
  notifications: v.boolean(),
  feedUrl: v.pipe(
    v.string(),
    v.maxLength(2048),
    v.check((s) => s === '' || feedUrlProblem(s) === null),
  ),
  // Handles that fail their channel's rule are dropped one by one (see contacts.ts).
  handles: v.pipe(
    v.record(v.string(), v.unknown()),
    v.transform((raw) => readHandles(raw)),
  ),
  reminderMinutes: v.union([
    v.literal(0),
    v.pipe(v.number(), v.integer(), v.minValue(30), v.maxValue(24 * 60)),
  ]),
  quietHours: v.nullable(
    v.object({
      start: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(24 * 60 - 1)),
      end: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(24 * 60 - 1)),
    }),
  ),
  shareCountry: v.boolean(),
  statusPages: v.pipe(
    v.record(v.picklist(SERVICE_IDS), v.string()),
    v.check(
      (pages) => Object.values(pages).every((u) => statusPageProblem(u ?? '') === null),
      'status pages must be https:// URLs ending in /api/v2/summary.json or /api/v2/status.json',
    ),
  ),
} satisfies { [K in Exclude<keyof Settings, 'version'>]: v.GenericSchema<unknown, Settings[K]> };

type Raw = Record<string, unknown>;

/**
 * Ordered migrations: entry i turns version i+1 into version i+2. Version 1 was the prototype's
 * shape, which counted the interval in minutes and called the primary app `primaryService`.
 */
const MIGRATIONS: readonly ((raw: Raw) => Raw)[] = [
  ({ checkIntervalMinutes, primaryService, ...rest }) => ({
    ...rest,
    ...(typeof checkIntervalMinutes === 'number' ? { checkIntervalSeconds: checkIntervalMinutes * 60 } : {}),
    ...(primaryService !== undefined ? { primary: primaryService } : {}),
    version: 2,
  }),
];

export interface SettingsReadResult {
  readonly settings: Settings;
  /** Keys that were invalid and reset to their defaults (for a log line; never thrown). */
  readonly repaired: readonly string[];
}

export function readSettings(stored: unknown): SettingsReadResult {
  if (stored === undefined || stored === null) return { settings: DEFAULT_SETTINGS, repaired: [] };
  if (typeof stored !== 'object' || Array.isArray(stored)) {
    return { settings: DEFAULT_SETTINGS, repaired: ['*'] };
  }
  let raw: Raw = { ...(stored as Raw) };
  const from = typeof raw.version === 'number' && Number.isInteger(raw.version) ? raw.version : 1;
  for (let version = Math.max(1, from); version < SETTINGS_VERSION; version++) {
    const migrate = MIGRATIONS[version - 1];
    if (migrate) raw = migrate(raw);
  }
  const repaired: string[] = [];
  const out: Record<string, unknown> = { version: SETTINGS_VERSION };
  for (const [key, schema] of Object.entries(KEY_SCHEMAS)) {
    const fallback = DEFAULT_SETTINGS[key as keyof typeof KEY_SCHEMAS];
    if (!(key in raw)) {
      out[key] = fallback;
      continue;
    }
    const result = v.safeParse(schema, raw[key]);
    if (result.success) out[key] = result.output;
    else {
      out[key] = fallback;
      repaired.push(key);
    }
  }
  return { settings: normalize(out as unknown as Settings), repaired };
}

/** Cross-key rules: the primary is always watched; at least one service is watched. */
function normalize(s: Settings): Settings {
  const watched = s.watched.includes(s.primary) ? s.watched : [s.primary, ...s.watched];
  return { ...s, watched: SERVICE_IDS.filter((id) => watched.includes(id)) };
}

/** A feed must be https, or http only on this machine (a self-hosted feed during development). */
export function feedUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not a URL';
  }
  if (url.username || url.password) return 'must not contain a user name or password';
  if (url.protocol === 'https:') return null;
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol === 'http:' && local) return null;
  return 'must start with https:// (http:// only for localhost)';
}

/** A user-added status page must be an https Statuspage v2 document. */
export function statusPageProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'https:' || url.username || url.password) return 'must start with https://';
  if (!/\/api\/v2\/(summary|status)\.json$/.test(url.pathname)) return 'must end in /api/v2/summary.json';
  return null;
}
