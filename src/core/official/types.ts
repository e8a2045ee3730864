import type { ServiceId } from '../services';

/**
 * What an official status page says about one service, after validation. Anything unexpected
 * (wrong type, truncated JSON, an HTML error page, a huge body, hostile strings) is `unknown` with a
 * reason: an official source never marks a service down by being broken.
 */
export type OfficialState = 'operational' | 'minor' | 'major' | 'maintenance' | 'unknown';

export interface OfficialReport {
  readonly service: ServiceId;
  /** Which source kind said it: 'statuspage' | 'slack-status' | 'signal-uptime-dns' | 'google-workspace'. */
  readonly source: string;
  readonly state: OfficialState;
  /** The most relevant incident or maintenance title, as plain text: control characters removed,
   * whitespace collapsed, at most 140 characters. Null when there is none. Never rendered as HTML. */
  readonly title: string | null;
  /** Why the state is unknown (for logs and the "why?" list); null otherwise. */
  readonly problem: string | null;
}

/** The last read of one service's status page: its report and the validators for the next read. */
export interface OfficialCacheEntry {
  readonly url: string;
  readonly fetchedAt: number;
  readonly etag: string | null;
  readonly lastModified: string | null;
  readonly report: OfficialReport;
}
export type OfficialCache = Readonly<Partial<Record<ServiceId, OfficialCacheEntry>>>;

/** What the official source saw in one check: the reports, and the cache to keep for the next. */
export interface OfficialObservation {
  readonly reports: readonly OfficialReport[];
  readonly cache: OfficialCache;
}

/** A parser turns a response body (already size-limited text) into a report. Never throws. */
export type OfficialParser = (body: string, service: ServiceId) => OfficialReport;

/** Most a status document may weigh before we stop reading it. */
export const OFFICIAL_MAX_BYTES = 512 * 1024;
/**
 * Google Workspace's incidents JSON carries months of every product's incidents with their updates
 * (several hundred KB; its real size is unverified, see docs/signal-sources.md): it gets more room.
 */
export const WORKSPACE_MAX_BYTES = 4 * 1024 * 1024;

// Control characters, zero-width and bidirectional overrides: nothing a title needs, and some are
// used to disguise text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Plain, short, safe text from a status page string. */
export function cleanTitle(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const text = raw.replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim();
  if (text === '') return null;
  return text.length > 140 ? `${text.slice(0, 139)}…` : text;
}

export function unknownReport(service: ServiceId, source: string, problem: string): OfficialReport {
  return { service, source, state: 'unknown', title: null, problem };
}
