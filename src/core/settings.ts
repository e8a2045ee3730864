import { type CustomApp, readCustomApps, STATUSPAGE_PATH } from './custom-apps';
import { type Handles, readHandles } from './handles';
import { bool, INVALID, int, isRecord, listOf, nullable, objectOf, oneOf, type Read } from './plain-read';
import { type ChannelId, isChannelId, isServiceId, SERVICE_IDS, type ServiceId } from './services';

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
  /** Which alerts to send: "down" (and reminders), "back", or both (src/core/notify.ts). */
  readonly alertOn: AlertOn;
  /** Extra Atlassian Statuspage URLs (…/api/v2/summary.json) the user added, per service. */
  readonly statusPages: Readonly<Partial<Record<ServiceId, string>>>;
  /** Include the country (from the browser's locale) in problem reports and observations. */
  readonly shareCountry: boolean;
  /**
   * Post what this browser's probes see (which watched apps answer, up or down) to the feed, so it
   * can tell "down for everyone" from "only you" (src/core/observe.ts). Off until the user turns it on.
   */
  readonly shareObservations: boolean;
  /** The user's own apps (custom-apps.ts), in the order added: checked here, never sent to the feed. */
  readonly customApps: readonly CustomApp[];
}

/** Which alerts the user wants: "down" also covers reminders, "unstable" and "only your network". */
export type AlertOn = 'both' | 'down' | 'back';
export const ALERT_ON: readonly AlertOn[] = ['both', 'down', 'back'];

export const SETTINGS_VERSION = 3;
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
  alertOn: 'both',
  statusPages: {},
  shareCountry: true,
  shareObservations: false,
  customApps: [],
};

/** One id that passes `is` (a user's app id is checked against the user's apps in normalize). */
const idOf =
  <T extends string>(is: (x: unknown) => x is T): Read<T> =>
  (x) =>
    is(x) ? x : INVALID;

/** A list of such ids, each once (a repeated id is dropped, not the list). */
const uniqueList =
  <T extends string>(is: (x: unknown) => x is T): Read<T[]> =>
  (x) => {
    const list = listOf(idOf(is))(x);
    return list === INVALID ? INVALID : [...new Set(list)];
  };

const minuteOfDay = int(0, 24 * 60 - 1);

/** One reader per key: a key that fails alone is reset to its default (what is wrong, in words: settings-edit.ts). */
export const KEY_READERS = {
  primary: idOf(isServiceId),
  watched: uniqueList(isServiceId),
  fallbacks: uniqueList(isChannelId),
  checkIntervalSeconds: int(MIN_INTERVAL_SECONDS, MAX_INTERVAL_SECONDS),
  notifications: bool,
  feedUrl: (x) =>
    typeof x === 'string' && x.length <= 2048 && (x === '' || feedUrlProblem(x) === null) ? x : INVALID,
  // Handles that fail their channel's rule are dropped one by one (see handles.ts).
  handles: (x) => (isRecord(x) ? readHandles(x) : INVALID),
  reminderMinutes: (x) => (x === 0 ? 0 : int(30, 24 * 60)(x)),
  quietHours: nullable(objectOf({ start: minuteOfDay, end: minuteOfDay })),
  alertOn: oneOf(ALERT_ON),
  shareCountry: bool,
  shareObservations: bool,
  customApps: readCustomApps,
  statusPages: (x) =>
    isRecord(x) &&
    Object.entries(x).every(
      ([id, url]) =>
        oneOf(SERVICE_IDS)(id) !== INVALID && typeof url === 'string' && statusPageProblem(url) === null,
    )
      ? (x as Partial<Record<ServiceId, string>>)
      : INVALID,
} satisfies { [K in Exclude<keyof Settings, 'version'>]: Read<Settings[K]> };

type Raw = Record<string, unknown>;

/**
 * Ordered migrations: entry i turns version i+1 into version i+2. Version 1 was the prototype's
 * shape, which counted the interval in minutes and called the primary app `primaryService`. Version 3
 * added `shareObservations`: an update never turns sharing on, whatever an older object holds (only
 * the user's own click does).
 */
const MIGRATIONS: readonly ((raw: Raw) => Raw)[] = [
  ({ checkIntervalMinutes, primaryService, ...rest }) => ({
    ...rest,
    ...(typeof checkIntervalMinutes === 'number' ? { checkIntervalSeconds: checkIntervalMinutes * 60 } : {}),
    ...(primaryService !== undefined ? { primary: primaryService } : {}),
    version: 2,
  }),
  (raw) => ({ ...raw, shareObservations: false, version: 3 }),
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
  for (const [key, read] of Object.entries(KEY_READERS)) {
    const fallback = DEFAULT_SETTINGS[key as keyof typeof KEY_READERS];
    if (!(key in raw)) {
      out[key] = fallback;
      continue;
    }
    const value = (read as Read<unknown>)(raw[key]);
    if (value !== INVALID) out[key] = value;
    else {
      out[key] = fallback;
      repaired.push(key);
    }
  }
  return { settings: normalize(out as unknown as Settings), repaired };
}

/**
 * Cross-key rules: a user's app that is gone (removed, or dropped as invalid) is neither primary,
 * watched nor a fallback; the primary is always watched; catalog order first, then the user's apps.
 */
function normalize(s: Settings): Settings {
  const own = s.customApps.map((a) => a.id);
  const exists = (id: string) => !id.startsWith('custom-') || (own as string[]).includes(id);
  const primary = exists(s.primary) ? s.primary : DEFAULT_SETTINGS.primary;
  const watched = [primary, ...s.watched.filter(exists)];
  const order: readonly ServiceId[] = [...SERVICE_IDS, ...own];
  return {
    ...s,
    primary,
    watched: order.filter((id) => watched.includes(id)),
    fallbacks: s.fallbacks.filter(exists),
  };
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
  if (!STATUSPAGE_PATH.test(url.pathname)) return 'must end in /api/v2/summary.json';
  return null;
}
