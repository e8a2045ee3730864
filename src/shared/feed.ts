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

/**
 * What the crowd of browsers sees of a service (the `probes` field, added to v1: older readers ignore
 * it): distinct networks over the last 15 minutes whose opted-in browsers reach it (`up`) or don't
 * (`down`), in all and per country, and the server's reading of them when it can tell.
 * - `everyone`: most networks that check it can't reach it, in more than one place;
 * - `country`: most networks in `scopeCountry` can't reach it, while it works elsewhere;
 * - `none`: nearly every network reaches it.
 * "Only this user's network" is the extension's own conclusion: its probes fail while others reach it.
 */
export const PROBE_SCOPES = ['everyone', 'country', 'none'] as const;
export type ProbeScope = (typeof PROBE_SCOPES)[number];

const networkPair = v.pipe(v.tuple([count, count]), v.readonly());

export const serviceProbesSchema = v.object({
  down: count,
  up: count,
  countries: v.pipe(
    v.custom<Record<string, unknown>>(
      (raw) => typeof raw === 'object' && raw !== null && !Array.isArray(raw),
      'must be an object',
    ),
    v.transform((raw) => Object.fromEntries(Object.entries(raw).filter(([key]) => isCountryCode(key)))),
    v.record(v.string(), networkPair),
    // The most networks first, so a hostile feed can't make the popup list a thousand countries.
    v.transform(
      (pairs): Record<string, readonly [number, number]> =>
        Object.fromEntries(
          Object.entries(pairs)
            .sort(([a, x], [b, y]) => y[0] + y[1] - (x[0] + x[1]) || (a < b ? -1 : a > b ? 1 : 0))
            .slice(0, FEED_TOP_COUNTRIES),
        ),
    ),
  ),
  scope: v.optional(v.picklist(PROBE_SCOPES)),
  /** With scope `country`: which one (an addition to the contract's fields; readers may ignore it). */
  scopeCountry: v.optional(
    v.pipe(
      v.string(),
      v.check((code: string) => isCountryCode(code)),
    ),
  ),
});
export type ServiceProbes = v.InferOutput<typeof serviceProbesSchema>;

export const seriesPointSchema = v.object({ t: isoTime, reports: count, baseline: count });

export const serviceFeedSchema = v.object({
  level: v.picklist(LEVELS),
  recent: count,
  baseline: count,
  series: v.pipe(v.array(seriesPointSchema), v.maxLength(SERIES_BUCKETS * 2)),
  problems: breakdownSchema(isProblem, PROBLEMS.length),
  // Only assigned ISO 3166-1 codes: "XX", "EU", "UK" or "IT<script>" are dropped one by one.
  countries: breakdownSchema(isCountryCode, FEED_TOP_COUNTRIES),
  // Read apart (readFeed): a malformed `probes` drops itself, never the service's reports.
  probes: v.optional(v.unknown()),
});
export type ServiceFeed = Omit<v.InferOutput<typeof serviceFeedSchema>, 'probes'> & {
  readonly probes?: ServiceProbes;
};

/**
 * How opted-in browsers should send observations, set by the server from its load (an addition to
 * v1): `sample`, the share of browsers that send at all (each decides once a day); `spreadSeconds`,
 * how long a browser waits, at random up to it, before sending a change, so a million browsers that
 * see the same outage do not all post in the same second. Absent: every browser, spread over 60 s.
 */
export const observeHintsSchema = v.object({
  sample: v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(1)),
  spreadSeconds: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(3600)),
});
export type ObserveHints = v.InferOutput<typeof observeHintsSchema>;
export const DEFAULT_OBSERVE_HINTS: ObserveHints = { sample: 1, spreadSeconds: 60 };

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
  /** Present when the feed takes observations (server-set sampling); absent in a static feed. */
  readonly observe?: ObserveHints;
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

/** What an opted-in browser says it sees of a service. */
export const OBSERVED_STATES = ['down', 'up'] as const;
export type ObservedState = (typeof OBSERVED_STATES)[number];
/** The most bytes of an observation the server reads; the extension's are under 300. */
export const OBSERVATION_MAX_BYTES = 1024;

/**
 * POST /v1/observations: `{"client": "<id>", "country": "IT", "services": {"whatsapp": "down"}}`.
 * `services` holds only known ids, at least one, each "down" or "up"; an unknown id is an error (the
 * extension sends only ids it knows), not silently dropped.
 */
export const observationSchema = v.object({
  client: v.pipe(v.string(), v.regex(CLIENT_ID_PATTERN, 'client must be 16–64 of A-Za-z0-9_-')),
  country: v.optional(
    v.pipe(
      v.string(),
      v.check((code) => isCountryCode(code), 'country must be an assigned ISO 3166-1 alpha-2 code'),
    ),
  ),
  services: v.pipe(
    v.custom<Record<string, unknown>>(
      (raw) => typeof raw === 'object' && raw !== null && !Array.isArray(raw),
      'services must be an object',
    ),
    v.check((raw) => Object.keys(raw).length > 0, 'services must name at least one service'),
    v.check(
      (raw) => Object.keys(raw).every((id) => (SERVICE_IDS as readonly string[]).includes(id)),
      'services may hold only known service ids',
    ),
    v.record(v.picklist(SERVICE_IDS), v.picklist(OBSERVED_STATES, 'each service must be "down" or "up"')),
  ),
});
export type Observation = {
  readonly client: string;
  readonly country?: string;
  readonly services: Readonly<Partial<Record<(typeof SERVICE_IDS)[number], ObservedState>>>;
};

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
    if (!s.success) {
      dropped++;
      continue;
    }
    const { probes: rawProbes, ...reports } = s.output;
    const probes = rawProbes === undefined ? null : v.safeParse(serviceProbesSchema, rawProbes);
    services[id] = probes?.success ? { ...reports, probes: probes.output } : reports;
  }
  const rawObserve = (raw as { observe?: unknown }).observe;
  const observe = rawObserve === undefined ? null : v.safeParse(observeHintsSchema, rawObserve);
  return {
    feed: {
      ...doc.output,
      version: FEED_VERSION,
      services,
      ...(observe?.success ? { observe: observe.output } : {}),
    },
    dropped,
  };
}
