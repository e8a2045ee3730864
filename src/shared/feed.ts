import * as v from 'valibot';
import { isCountryCode } from '../core/countries';
import { SERVICE_IDS } from '../core/services';

/**
 * The feed protocol v1 (docs/contract.md), as schemas shared by the extension and the server.
 * Readers ignore unknown fields; a service absent from `services` has no data.
 */
export const FEED_VERSION = 1;
export const BUCKET_MINUTES = 15;
export const SERIES_BUCKETS = 96;
export const REPORT_MAX_BYTES = 2048;
/** The most of an answer to a report the extension reads (the server's answers are under 200 bytes). */
export const REPORT_ANSWER_MAX_BYTES = 4096;
export const FEED_MAX_BYTES = 1024 * 1024;

export const PROBLEMS = ['messages', 'connection', 'login', 'calls', 'app', 'other'] as const;
export type Problem = (typeof PROBLEMS)[number];
export const LEVELS = ['normal', 'elevated', 'outage'] as const;
export type Level = (typeof LEVELS)[number];

/**
 * The most any count read from a feed says: larger values are clamped to it. Ten million reports in
 * a quarter of an hour is beyond any outage a feed has seen, and a bound keeps a hostile feed's 1e308
 * out of sums, widths and text. NaN, Infinity and negative counts are refused, not clamped.
 */
export const COUNT_MAX = 10_000_000;
/** Countries kept per service when reading a feed: the largest (as many as the server lists). */
export const FEED_TOP_COUNTRIES = 10;

const count = v.pipe(
  v.number(),
  v.finite(),
  v.minValue(0),
  v.transform((n) => Math.min(n, COUNT_MAX)),
);
const isoTime = v.pipe(v.string(), v.maxLength(40), v.isoTimestamp());

const isProblem = (key: string): boolean => (PROBLEMS as readonly string[]).includes(key);

/**
 * Counts by key (problems, countries): keys that `known` refuses are dropped, not the service; the
 * counts of the kept ones must be counts (a negative one drops the service, as elsewhere); at most
 * `top` are kept, largest first (ties by key), so a feed cannot make the popup list a thousand keys.
 */
function breakdownSchema(known: (key: string) => boolean, top: number) {
  return v.pipe(
    // Not v.record: it takes a list as well (its indexes as keys), and a list here is a broken feed.
    v.custom<Record<string, unknown>>(
      (raw) => typeof raw === 'object' && raw !== null && !Array.isArray(raw),
      'must be an object',
    ),
    v.transform((raw) => Object.fromEntries(Object.entries(raw).filter(([key]) => known(key)))),
    v.record(v.string(), count),
    v.transform(
      (counts): Record<string, number> =>
        Object.fromEntries(
          Object.entries(counts)
            .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
            .slice(0, top),
        ),
    ),
  );
}

export const seriesPointSchema = v.object({ t: isoTime, reports: count, baseline: count });

export const serviceFeedSchema = v.object({
  level: v.picklist(LEVELS),
  recent: count,
  baseline: count,
  series: v.pipe(v.array(seriesPointSchema), v.maxLength(SERIES_BUCKETS * 2)),
  problems: breakdownSchema(isProblem, PROBLEMS.length),
  // Only assigned ISO 3166-1 codes: "XX", "EU", "UK" or "IT<script>" are dropped one by one.
  countries: breakdownSchema(isCountryCode, FEED_TOP_COUNTRIES),
});
export type ServiceFeed = v.InferOutput<typeof serviceFeedSchema>;

export const feedDocumentSchema = v.object({
  version: v.literal(FEED_VERSION),
  generatedAt: isoTime,
  bucketMinutes: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(60)),
  // Services are read one by one: a malformed or unknown one is dropped, the rest kept.
  // (v.record alone would take an array for an object.)
  services: v.custom<Record<string, unknown>>(
    (services) => typeof services === 'object' && services !== null && !Array.isArray(services),
    'must be an object',
  ),
});

export interface FeedDocument {
  readonly version: typeof FEED_VERSION;
  readonly generatedAt: string;
  readonly bucketMinutes: number;
  readonly services: Readonly<Partial<Record<(typeof SERVICE_IDS)[number], ServiceFeed>>>;
}

/**
 * Client ids: 16–64 of A-Z a-z 0-9 _ -, never linked to a person. The extension sends 22 characters,
 * one id per feed origin and UTC day (src/core/client-id.ts); the server needs it for 30 minutes.
 */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

export const reportSchema = v.object({
  service: v.picklist(SERVICE_IDS, 'unknown service'),
  problem: v.picklist(PROBLEMS, 'unknown problem'),
  country: v.optional(
    v.pipe(
      v.string(),
      v.check((code) => isCountryCode(code), 'country must be an assigned ISO 3166-1 alpha-2 code'),
    ),
  ),
  client: v.pipe(v.string(), v.regex(CLIENT_ID_PATTERN, 'client must be 16–64 of A-Za-z0-9_-')),
});
export type Report = v.InferOutput<typeof reportSchema>;

/** Answers of POST /v1/reports. */
export type ReportAnswer =
  | { readonly counted: true }
  | { readonly counted: false; readonly reason: 'duplicate' }
  | { readonly error: string; readonly message: string };

/** Reads a feed document; malformed services are dropped (and counted), never the whole feed. */
export function readFeed(raw: unknown): { feed: FeedDocument; dropped: number } | { error: string } {
  const doc = v.safeParse(feedDocumentSchema, raw);
  if (!doc.success) {
    const issue = doc.issues[0];
    const path = issue?.path?.map((p) => String(p.key)).join('.') ?? '';
    return { error: `unexpected feed${path ? ` at ${path}` : ''}: ${issue?.message ?? 'invalid'}` };
  }
  const services: Record<string, ServiceFeed> = {};
  let dropped = 0;
  for (const id of SERVICE_IDS) {
    if (!Object.hasOwn(doc.output.services, id)) continue;
    const s = v.safeParse(serviceFeedSchema, doc.output.services[id]);
    if (s.success) services[id] = s.output;
    else dropped++;
  }
  return { feed: { ...doc.output, version: FEED_VERSION, services }, dropped };
}
