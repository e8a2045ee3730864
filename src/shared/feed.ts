import * as v from 'valibot';
import { SERVICE_IDS } from '../core/catalog';

/**
 * The feed protocol v1 (../shared/contract.md §5), as schemas shared by the extension and the server.
 * Readers ignore unknown fields; a service absent from `services` has no data.
 */
export const FEED_VERSION = 1;
export const BUCKET_MINUTES = 15;
export const SERIES_BUCKETS = 96;
export const REPORT_MAX_BYTES = 2048;
export const FEED_MAX_BYTES = 1024 * 1024;

export const PROBLEMS = ['messages', 'connection', 'login', 'calls', 'app', 'other'] as const;
export type Problem = (typeof PROBLEMS)[number];
export const LEVELS = ['normal', 'elevated', 'outage'] as const;
export type Level = (typeof LEVELS)[number];

const count = v.pipe(v.number(), v.finite(), v.minValue(0));
const isoTime = v.pipe(v.string(), v.maxLength(40), v.isoTimestamp());

export const seriesPointSchema = v.object({ t: isoTime, reports: count, baseline: count });

export const serviceFeedSchema = v.object({
  level: v.picklist(LEVELS),
  recent: count,
  baseline: count,
  series: v.pipe(v.array(seriesPointSchema), v.maxLength(SERIES_BUCKETS * 2)),
  problems: v.record(v.pipe(v.string(), v.maxLength(20)), count),
  countries: v.record(v.pipe(v.string(), v.regex(/^[A-Z]{2}$/)), count),
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

/** Client ids: random, 16–64 of A-Z a-z 0-9 _ -, never linked to a person. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

export const reportSchema = v.object({
  service: v.picklist(SERVICE_IDS, 'unknown service'),
  problem: v.picklist(PROBLEMS, 'unknown problem'),
  country: v.optional(v.pipe(v.string(), v.regex(/^[A-Z]{2}$/, 'country must be ISO 3166-1 alpha-2'))),
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
