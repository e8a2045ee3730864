// The crowd-report counting algorithm behind GET /v1/feed, as pure functions: no I/O, no clock (`now` is
// an argument). Plain-words description with the reasons for each threshold: server/ALGORITHM.md.

import { type CatalogId, SERVICE_IDS } from '../../src/core/services';
import {
  BUCKET_MINUTES,
  FEED_VERSION,
  type FeedDocument,
  LEVELS,
  type Level,
  type ObserveHints,
  PROBLEMS,
  SERIES_BUCKETS,
  type ServiceFeed,
} from '../../src/shared/feed';
import { PROBE_SCOPE, type ProbeCount, type ProbeScopeConfig, serviceProbes } from './probe-scope';

export const BUCKET_MS = BUCKET_MINUTES * 60_000;
const DAY_MS = 24 * 60 * 60_000;
const WEEK_MS = 7 * DAY_MS;

/**
 * Reports counted in one 15-minute bucket: a client's first report of a service in 30 min, and at most
 * `networkCap` of them per network (IPv4 /24, IPv6 /48), whatever ids and addresses inside it send.
 */
export interface BucketCount {
  readonly service: CatalogId;
  /** Start of the bucket, ms since the epoch, a multiple of 15 min (UTC). */
  readonly bucket: number;
  /** Reports after the per-network cap. */
  readonly reports: number;
  /**
   * Distinct networks among those reports. Absent for buckets counted before networks were (schema
   * version 1): each of their reports then stands for its own network.
   */
  readonly networks?: number;
}

/** Reports of the last hour by problem or by country, already summed by the server. */
export interface Breakdown {
  readonly service: CatalogId;
  readonly kind: 'problem' | 'country';
  readonly key: string;
  readonly reports: number;
}

export interface AlgorithmConfig {
  /** How far back the baseline looks, in weeks. */
  readonly baselineWeeks: number;
  /** With at least this many weeks of history, only the same weekday's slots make the baseline. */
  readonly weekdayMinWeeks: number;
  /** With less than this many days of history (and fewer weeks than above), the service is in cold start. */
  readonly minHistoryDays: number;
  /** The baseline is the highest slot median within ± this many buckets (timing jitter, DST shifts). */
  readonly slotToleranceBuckets: number;
  /** The baseline never goes below this (reports per bucket): quiet services. */
  readonly floor: number;
  /** Baseline with no usable history; also the least a cold-start baseline can be. */
  readonly coldStartBaseline: number;
  /** Cold start uses the median of the service's own earlier buckets once it has this many. */
  readonly coldStartMinBuckets: number;
  /** A bucket is raised when reports ≥ max(elevatedMin, baseline × elevatedFactor). */
  readonly elevatedFactor: number;
  readonly elevatedMin: number;
  /** A bucket is an outage bucket when reports ≥ max(outageMin, baseline × outageFactor). */
  readonly outageFactor: number;
  readonly outageMin: number;
  /** How many consecutive buckets (the latest included) must be raised: "long enough". */
  readonly persistBuckets: number;
  /** A single bucket ≥ max(surgeMin, outage threshold × surgeFactor) is an outage without waiting. */
  readonly surgeFactor: number;
  readonly surgeMin: number;
  /** The current partial bucket is projected to a full one, but never scaled up more than 1 / this. */
  readonly partialMinFraction: number;
  /** How many problems and countries each service lists. */
  readonly breakdownTop: number;
  /**
   * Most reports one network (IPv4 /24, IPv6 /48) adds to a service's bucket, and to its problems and
   * countries: more reports from it are stored for dedupe but add nothing. Applied by the storage.
   */
  readonly networkCap: number;
  /** A bucket is raised only with reports from at least this many distinct networks. */
  readonly minNetworks: number;
  /** An outage-sized (or surge) bucket needs reports from at least this many distinct networks. */
  readonly minNetworksOutage: number;
  /**
   * Most distinct clients per service and network whose observations are kept in the window: a
   * network's made-up ids can't bloat the store. Applied by the storage.
   */
  readonly observeClientsPerNetwork: number;
  /** The rule that reads the networks observed down and up (server/core/probe-scope.ts). */
  readonly probes: ProbeScopeConfig;
}

export const ALGORITHM: AlgorithmConfig = Object.freeze({
  baselineWeeks: 4,
  weekdayMinWeeks: 2,
  minHistoryDays: 1,
  slotToleranceBuckets: 4,
  floor: 2,
  coldStartBaseline: 10,
  coldStartMinBuckets: 4,
  elevatedFactor: 3,
  elevatedMin: 10,
  outageFactor: 6,
  outageMin: 30,
  persistBuckets: 2,
  surgeFactor: 3,
  surgeMin: 250,
  partialMinFraction: 1 / 3,
  breakdownTop: 10,
  networkCap: 3,
  minNetworks: 5,
  minNetworksOutage: 10,
  observeClientsPerNetwork: 8,
  probes: PROBE_SCOPE,
});

/** Start of the 15-minute UTC bucket holding `t` (ms since the epoch). */
export function bucketStart(t: number): number {
  return t - (((t % BUCKET_MS) + BUCKET_MS) % BUCKET_MS);
}

/** What baselineFor reads: counts by service and bucket, and when counting began. */
export interface CountHistory {
  /** First bucket the server was counting; a missing bucket after it means 0 reports. Null: no data at all. */
  readonly since: number | null;
  reports(service: CatalogId, bucket: number): number;
  /** Distinct networks that reported `service` in `bucket`. */
  networks(service: CatalogId, bucket: number): number;
  /** Optional memo for slot medians (CountIndex provides one). */
  memo?(algo: AlgorithmConfig): Map<string, number | null>;
}

/** Counts indexed once by service and bucket; duplicates are summed, unknown or invalid rows skipped. */
export class CountIndex implements CountHistory {
  readonly since: number | null;
  private readonly byService = new Map<CatalogId, Map<number, number>>();
  private readonly networksByService = new Map<CatalogId, Map<number, number>>();
  private readonly memos = new WeakMap<AlgorithmConfig, Map<string, number | null>>();

  constructor(counts: readonly BucketCount[], since?: number) {
    const known = new Set<string>(SERVICE_IDS);
    let earliest = Number.POSITIVE_INFINITY;
    for (const c of counts) {
      if (
        !known.has(c.service) ||
        !Number.isFinite(c.bucket) ||
        !Number.isFinite(c.reports) ||
        c.reports < 0
      ) {
        continue;
      }
      const bucket = bucketStart(c.bucket);
      const networks =
        c.networks === undefined ? c.reports : Number.isFinite(c.networks) ? Math.max(0, c.networks) : 0;
      add(this.byService, c.service, bucket, c.reports);
      add(this.networksByService, c.service, bucket, networks);
      if (bucket < earliest) earliest = bucket;
    }
    if (since !== undefined && Number.isFinite(since)) this.since = bucketStart(since);
    else this.since = Number.isFinite(earliest) ? earliest : null;
  }

  reports(service: CatalogId, bucket: number): number {
    return this.byService.get(service)?.get(bucket) ?? 0;
  }

  networks(service: CatalogId, bucket: number): number {
    return this.networksByService.get(service)?.get(bucket) ?? 0;
  }

  memo(algo: AlgorithmConfig): Map<string, number | null> {
    let memo = this.memos.get(algo);
    if (!memo) {
      memo = new Map();
      this.memos.set(algo, memo);
    }
    return memo;
  }
}

function add(into: Map<CatalogId, Map<number, number>>, service: CatalogId, bucket: number, n: number): void {
  let buckets = into.get(service);
  if (!buckets) {
    buckets = new Map();
    into.set(service, buckets);
  }
  buckets.set(bucket, (buckets.get(bucket) ?? 0) + n);
}

/** The lower middle value: with two samples one bad week cannot raise the baseline. */
function lowerMedian(values: number[]): number {
  values.sort((a, b) => a - b);
  return values[(values.length - 1) >> 1] ?? 0;
}

type Mode = 'weekday' | 'daily';

/** Median of one slot over past weeks (same weekday) or past days; null without enough samples. */
function slotMedian(
  service: CatalogId,
  slot: number,
  mode: Mode,
  history: CountHistory,
  algo: AlgorithmConfig,
): number | null {
  const memo = history.memo?.(algo);
  const key = `${service}|${mode}|${slot}`;
  const hit = memo?.get(key);
  if (hit !== undefined) return hit;
  const since = history.since ?? Number.POSITIVE_INFINITY;
  const stride = mode === 'weekday' ? WEEK_MS : DAY_MS;
  const n = mode === 'weekday' ? algo.baselineWeeks : algo.baselineWeeks * 7;
  const samples: number[] = [];
  for (let i = 1; i <= n; i++) {
    const at = slot - i * stride;
    if (at >= since) samples.push(history.reports(service, at));
  }
  const need = mode === 'weekday' ? algo.weekdayMinWeeks : algo.minHistoryDays;
  const value = samples.length >= Math.max(1, need) ? lowerMedian(samples) : null;
  memo?.set(key, value);
  return value;
}

/**
 * The usual number of reports for `bucket`'s time of day: the lower median of the same 15-minute slot
 * over the same weekday of the past weeks (with ≥ weekdayMinWeeks weeks of history) or over every past
 * day (with ≥ minHistoryDays days), taking the highest such median within ± slotToleranceBuckets, never
 * below the floor. Cold start (less history): the median of the service's own buckets of the previous
 * 24 h (leaving out the buckets being judged), never below coldStartBaseline.
 */
export function baselineFor(
  service: CatalogId,
  bucket: number,
  history: CountHistory,
  algo: AlgorithmConfig = ALGORITHM,
): number {
  const b = bucketStart(bucket);
  const since = history.since;
  const weeks = since === null ? 0 : Math.min(algo.baselineWeeks, Math.floor((b - since) / WEEK_MS));
  const days = since === null ? 0 : Math.min(algo.baselineWeeks * 7, Math.floor((b - since) / DAY_MS));
  const mode: Mode | null =
    weeks >= algo.weekdayMinWeeks ? 'weekday' : days >= Math.max(1, algo.minHistoryDays) ? 'daily' : null;
  if (mode === null || since === null) return coldStart(service, b, history, algo);
  let usual = 0;
  for (let k = -algo.slotToleranceBuckets; k <= algo.slotToleranceBuckets; k++) {
    const m = slotMedian(service, b + k * BUCKET_MS, mode, history, algo);
    if (m !== null && m > usual) usual = m;
  }
  return Math.max(algo.floor, usual);
}

function coldStart(service: CatalogId, b: number, history: CountHistory, algo: AlgorithmConfig): number {
  const since = history.since;
  if (since === null) return Math.max(algo.floor, algo.coldStartBaseline);
  const earlier: number[] = [];
  for (let j = Math.max(1, algo.persistBuckets); j <= SERIES_BUCKETS; j++) {
    const at = b - j * BUCKET_MS;
    if (at < since) break;
    earlier.push(history.reports(service, at));
  }
  const own = earlier.length >= algo.coldStartMinBuckets ? lowerMedian(earlier) : 0;
  return Math.max(algo.floor, algo.coldStartBaseline, own);
}

export interface Thresholds {
  readonly elevated: number;
  readonly outage: number;
  readonly surge: number;
}

export function thresholdsFor(baseline: number, algo: AlgorithmConfig = ALGORITHM): Thresholds {
  const elevated = Math.max(algo.elevatedMin, baseline * algo.elevatedFactor);
  const outage = Math.max(algo.outageMin, baseline * algo.outageFactor);
  return { elevated, outage, surge: Math.max(algo.surgeMin, outage * algo.surgeFactor) };
}

export interface JudgedBucket {
  readonly reports: number;
  readonly baseline: number;
  /** Distinct networks behind the reports (never scaled up like a partial bucket's reports). */
  readonly networks: number;
}

/** Raised: at or above the elevated threshold, from at least minNetworks distinct networks. */
function raised(b: JudgedBucket, algo: AlgorithmConfig): boolean {
  return b.reports >= thresholdsFor(b.baseline, algo).elevated && b.networks >= algo.minNetworks;
}

/**
 * The level of the latest of `recentBuckets` (oldest first):
 * - outage: the latest ≥ the outage threshold and the persistBuckets − 1 before it were all raised
 *   (≥ the elevated threshold) — or the latest alone ≥ the surge bar;
 * - elevated: the latest and the persistBuckets − 1 before it all raised — or the latest alone ≥ the
 *   outage threshold (a strong bucket waiting for confirmation);
 * - normal otherwise: a single raised bucket is noise until the next one confirms it.
 * A raised bucket needs reports from minNetworks distinct networks, an outage-sized or surge bucket from
 * minNetworksOutage: one network, however many reports it sends, never lifts a service above normal.
 */
export function levelFor(recentBuckets: readonly JudgedBucket[], algo: AlgorithmConfig = ALGORITHM): Level {
  const latest = recentBuckets.at(-1);
  if (!latest) return 'normal';
  const need = Math.max(1, algo.persistBuckets) - 1;
  const before = recentBuckets.slice(0, -1);
  const held = before.length >= need && before.slice(before.length - need).every((p) => raised(p, algo));
  const t = thresholdsFor(latest.baseline, algo);
  const wide = latest.networks >= algo.minNetworksOutage;
  if (wide && latest.reports >= t.outage && (held || latest.reports >= t.surge)) return 'outage';
  if (raised(latest, algo) && held) return 'elevated';
  if (wide && latest.reports >= t.outage) return 'elevated';
  return 'normal';
}

function higher(a: Level, b: Level): Level {
  return LEVELS.indexOf(a) >= LEVELS.indexOf(b) ? a : b;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** ISO 8601 in UTC, without milliseconds when they are zero (bucket times). */
function iso(t: number): string {
  const s = new Date(t).toISOString();
  return s.endsWith('.000Z') ? `${s.slice(0, -5)}Z` : s;
}

function topOf(entries: Map<string, number>, n: number): Record<string, number> {
  const sorted = [...entries].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return Object.fromEntries(sorted.slice(0, n));
}

export interface FeedInput {
  /** The time the feed describes, ms since the epoch. */
  readonly now: number;
  /** Bucket counts: all retained ones (the baseline needs 4 weeks and a day), any order. */
  readonly counts: readonly BucketCount[];
  /** Last hour's reports by problem and country. */
  readonly breakdown: readonly Breakdown[];
  /** When the server began counting (default: the earliest count); before it, buckets are unknown, not 0. */
  readonly since?: number;
  /** Networks observed by opted-in browsers in the last 15 minutes (absent: a feed without them). */
  readonly probes?: readonly ProbeCount[];
  /** The sampling hints for those browsers (absent: a feed that takes no observations). */
  readonly observe?: ObserveHints;
}

/**
 * The feed document (docs/contract.md, the feed protocol). Every service with a report in the last 24 h,
 * or a network observed in the last 15 minutes, is listed; the level is the higher of the level ending at
 * the last complete bucket and the level ending at the current bucket projected to a full 15 minutes
 * (scaled by at most 1 / partialMinFraction). Observed services carry `probes` (probe-scope.ts).
 */
export function buildFeed(input: FeedInput, algo: AlgorithmConfig = ALGORITHM): FeedDocument {
  const { now } = input;
  if (!Number.isFinite(now)) throw new RangeError('buildFeed: now must be a finite time');
  const index = new CountIndex(input.counts, input.since);
  const current = bucketStart(now);
  const first = current - (SERIES_BUCKETS - 1) * BUCKET_MS;
  const elapsed = (now - current) / BUCKET_MS;
  const scale = 1 / Math.min(1, Math.max(elapsed, algo.partialMinFraction, Number.EPSILON));
  const persist = Math.max(1, algo.persistBuckets);

  const breakdowns = new Map<CatalogId, { problems: Map<string, number>; countries: Map<string, number> }>();
  const problemKeys = new Set<string>(PROBLEMS);
  for (const row of input.breakdown) {
    if (!Number.isFinite(row.reports) || row.reports <= 0) continue;
    const valid = row.kind === 'problem' ? problemKeys.has(row.key) : /^[A-Z]{2}$/.test(row.key);
    if (!valid) continue;
    let entry = breakdowns.get(row.service);
    if (!entry) {
      entry = { problems: new Map(), countries: new Map() };
      breakdowns.set(row.service, entry);
    }
    const target = row.kind === 'problem' ? entry.problems : entry.countries;
    target.set(row.key, (target.get(row.key) ?? 0) + row.reports);
  }

  const probes = serviceProbes(input.probes ?? [], algo.probes);
  const services: Partial<Record<CatalogId, ServiceFeed>> = {};
  for (const service of SERVICE_IDS) {
    const observed = probes.get(service);
    let any = observed !== undefined;
    for (let t = first; t <= current && !any; t += BUCKET_MS) any = index.reports(service, t) > 0;
    if (!any) continue;

    const times = Array.from({ length: SERIES_BUCKETS }, (_, i) => first + i * BUCKET_MS);
    const baselines = times.map((t) => baselineFor(service, t, index, algo));
    const series = times.map((t, i) => ({
      t: iso(t),
      reports: index.reports(service, t),
      baseline: round1(baselines[i] ?? 0),
    }));

    const judged: JudgedBucket[] = [];
    for (let j = persist; j >= 0; j--) {
      const t = current - j * BUCKET_MS;
      const i = (t - first) / BUCKET_MS;
      const baseline = i >= 0 ? (baselines[i] ?? 0) : baselineFor(service, t, index, algo);
      const reports = index.reports(service, t);
      judged.push({
        reports: j === 0 ? reports * scale : reports,
        baseline,
        networks: index.networks(service, t),
      });
    }
    const level = higher(levelFor(judged.slice(0, -1), algo), levelFor(judged.slice(1), algo));

    const parts = breakdowns.get(service);
    services[service] = {
      level,
      recent: index.reports(service, current),
      baseline: round1(baselines[SERIES_BUCKETS - 1] ?? 0),
      series,
      problems: parts ? topOf(parts.problems, algo.breakdownTop) : {},
      countries: parts ? topOf(parts.countries, algo.breakdownTop) : {},
      ...(observed ? { probes: observed } : {}),
    };
  }

  return {
    version: FEED_VERSION,
    generatedAt: iso(now),
    bucketMinutes: BUCKET_MINUTES,
    services,
    ...(input.observe ? { observe: input.observe } : {}),
  };
}
