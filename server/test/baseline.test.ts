import { describe, expect, it } from 'vitest';
import { type CatalogId, SERVICE_IDS } from '../../src/core/services';
import { LEVELS, type Level, readFeed, SERIES_BUCKETS } from '../../src/shared/feed';
import {
  ALGORITHM,
  type Breakdown,
  BUCKET_MS,
  type BucketCount,
  baselineFor,
  bucketStart,
  buildFeed,
  CountIndex,
  type JudgedBucket,
  levelFor,
  thresholdsFor,
} from '../core/baseline';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** Monday 23 November 2026, 00:00 UTC: the day every scenario is judged on. */
const MONDAY = Date.UTC(2026, 10, 23);

/** Full-bucket report volume for the bucket starting at `b`. */
type Volume = (b: number) => number;

/** Deterministic noise in [-1, 1) for a bucket (no Math.random: failures must be reproducible). */
function noise(b: number, seed = 1): number {
  const x = Math.sin((b / BUCKET_MS) * 12.9898 + seed * 78.233) * 43758.5453;
  return (x - Math.floor(x)) * 2 - 1;
}

const hourOf = (b: number): number => (b % DAY) / HOUR;

/** Complete buckets [from, to) of one service; zero buckets are left out as the server stores none. */
function history(service: CatalogId, volume: Volume, from: number, to: number): BucketCount[] {
  const rows: BucketCount[] = [];
  for (let b = bucketStart(from); b < to; b += BUCKET_MS) {
    const reports = Math.max(0, Math.round(volume(b)));
    if (reports > 0) rows.push({ service, bucket: b, reports });
  }
  return rows;
}

/** What the server holds at `now`: every complete bucket since `from` and the partial current one. */
function countsAt(service: CatalogId, volume: Volume, from: number, now: number): BucketCount[] {
  const current = bucketStart(now);
  const rows = history(service, volume, from, current);
  // Reports arrive evenly through the bucket.
  const partial = Math.floor(Math.max(0, Math.round(volume(current))) * ((now - current) / BUCKET_MS));
  if (partial > 0) rows.push({ service, bucket: current, reports: partial });
  return rows;
}

/** The level of `service` at every `step` from `start` (inclusive) to `end` (exclusive). */
function levelsOver(
  service: CatalogId,
  volume: Volume,
  opts: { from: number; start: number; end: number; step: number },
): { now: number; level: Level }[] {
  // Complete buckets are built once; each evaluation adds only its partial bucket.
  const full = history(service, volume, opts.from, opts.end);
  const out: { now: number; level: Level }[] = [];
  for (let now = opts.start; now < opts.end; now += opts.step) {
    const current = bucketStart(now);
    const counts = full.filter((c) => c.bucket < current);
    const partial = Math.floor(Math.round(volume(current)) * ((now - current) / BUCKET_MS));
    if (partial > 0) counts.push({ service, bucket: current, reports: partial });
    const since = opts.from;
    const feed = buildFeed({ now, counts, breakdown: [], since });
    out.push({ now, level: feed.services[service]?.level ?? 'normal' });
  }
  return out;
}

const rank = (l: Level): number => LEVELS.indexOf(l);
const at = (t: number): string => new Date(t).toISOString();

describe('the calendar', () => {
  it('judges scenarios on a Monday', () => {
    expect(new Date(MONDAY).getUTCDay()).toBe(1);
  });

  it.each([
    ['a bucket start stays put', MONDAY + 15 * MIN, MONDAY + 15 * MIN],
    ['the middle of a bucket goes back to its start', MONDAY + 22 * MIN + 5_000, MONDAY + 15 * MIN],
    ['the last millisecond of a bucket stays in it', MONDAY + 15 * MIN - 1, MONDAY],
    ['times before 1970 still align', -1, -BUCKET_MS],
  ])('bucketStart: %s', (_, t, expected) => {
    expect(bucketStart(t)).toBe(expected);
  });
});

describe('levelFor (persistence rule)', () => {
  // Each report from a network of its own unless said otherwise.
  const b = (reports: number, baseline = 40, networks = reports): JudgedBucket => ({
    reports,
    baseline,
    networks,
  });
  // With baseline 40: elevated ≥ 120, outage ≥ 240, surge ≥ 720.
  it.each<[string, JudgedBucket[], Level]>([
    ['no buckets is normal', [], 'normal'],
    ['usual volume is normal', [b(40), b(45), b(38)], 'normal'],
    ['a single raised bucket is noise', [b(40), b(40), b(150)], 'normal'],
    ['two raised buckets in a row are elevated', [b(40), b(150), b(150)], 'elevated'],
    ['an outage-sized bucket after a raised one is an outage', [b(40), b(150), b(400)], 'outage'],
    ['an outage-sized bucket alone waits as elevated', [b(40), b(40), b(400)], 'elevated'],
    ['a surge alone is an outage at once', [b(40), b(40), b(800)], 'outage'],
    ['a fall back to usual is normal again', [b(1000), b(1000), b(60)], 'normal'],
    ['a fall to raised is elevated on the way down', [b(1000), b(600), b(200)], 'elevated'],
    ['a quiet service under the minimums stays normal', [b(8, 2), b(9, 2), b(9, 2)], 'normal'],
    ['a quiet service far above its minimums alarms', [b(1, 2), b(20, 2), b(40, 2)], 'outage'],
    ['a lone bucket with no earlier ones cannot be confirmed', [b(400)], 'elevated'],
    ['one network, however many reports, is normal', [b(1000, 2, 1), b(1000, 2, 1), b(5000, 2, 1)], 'normal'],
    ['four networks are not yet raised', [b(2, 2), b(40, 2, 4), b(40, 2, 4)], 'normal'],
    ['five networks raised twice are elevated', [b(2, 2), b(15, 2, 5), b(15, 2, 5)], 'elevated'],
    ['nine networks are elevated, never an outage', [b(2, 2), b(27, 2, 9), b(900, 2, 9)], 'elevated'],
    ['ten networks past the outage threshold are an outage', [b(2, 2), b(15, 2, 5), b(30, 2, 10)], 'outage'],
    ['a surge needs ten networks too', [b(2, 2), b(2, 2), b(800, 40, 9)], 'normal'],
  ])('%s', (_, buckets, expected) => {
    expect(levelFor(buckets)).toBe(expected);
  });

  it('uses the documented thresholds', () => {
    expect(thresholdsFor(40)).toEqual({ elevated: 120, outage: 240, surge: 720 });
    expect(thresholdsFor(2)).toEqual({ elevated: 10, outage: 30, surge: 250 });
    expect(thresholdsFor(ALGORITHM.coldStartBaseline)).toEqual({ elevated: 30, outage: 60, surge: 250 });
  });
});

describe('networks, not ids', () => {
  const cap = ALGORITHM.networkCap;
  /** `networks` networks each adding `perNetwork` reports (at most the cap, as the storage applies it). */
  const fromNetworks = (
    service: CatalogId,
    bucket: number,
    networks: number,
    perNetwork: number,
  ): BucketCount => ({
    service,
    bucket,
    reports: networks * Math.min(cap, perNetwork),
    networks,
  });

  it('documents its numbers', () => {
    expect({ cap, min: ALGORITHM.minNetworks, outage: ALGORITHM.minNetworksOutage }).toEqual({
      cap: 3,
      min: 5,
      outage: 10,
    });
  });

  // One /24 (any ids, any addresses inside it, any rate): the storage lets it add `cap` per bucket.
  it.each<[string, number | null]>([
    ['a fresh server', null],
    ['a quiet service with 4 weeks of history', MONDAY - 4 * WEEK],
  ])('one network at its cap every bucket never lifts %s above normal', (_, since) => {
    const start = MONDAY + 10 * HOUR;
    const counts: BucketCount[] = [];
    for (let b = since ?? start; b <= start + 3 * HOUR; b += BUCKET_MS) {
      const quiet = since !== null && b < start ? (noise(b, 3) > 0.6 ? 1 : 0) : 0;
      const attacker = b >= start ? cap : 0;
      if (quiet + attacker > 0)
        counts.push({
          service: 'whatsapp',
          bucket: b,
          reports: quiet + attacker,
          networks: quiet + (attacker ? 1 : 0),
        });
    }
    for (let now = start; now < start + 3 * HOUR; now += MIN) {
      const feed = buildFeed({
        now,
        counts: counts.filter((c) => c.bucket <= now),
        breakdown: [],
        since: since ?? start,
      });
      expect(feed.services.whatsapp?.level ?? 'normal', at(now)).toBe('normal');
    }
  });

  it.each<[string, number | null, number]>([
    ['a quiet service, one report per network', MONDAY - 4 * WEEK, 1],
    ['a fresh server, networks at their cap', null, cap],
  ])('reports from 40 networks rising over two buckets are an outage: %s', (_, since, perNetwork) => {
    const start = MONDAY + 10 * HOUR;
    const counts: BucketCount[] = [
      fromNetworks('whatsapp', start, 15, perNetwork),
      fromNetworks('whatsapp', start + BUCKET_MS, 40, perNetwork),
    ];
    const now = start + 2 * BUCKET_MS - 1;
    const feed = buildFeed({ now, counts, breakdown: [], since: since ?? start });
    expect(feed.services.whatsapp?.level).toBe('outage');
  });

  it('computes the baseline from the capped counts: a network trickling for weeks raises it by its cap at most', () => {
    const since = MONDAY - 4 * WEEK;
    const counts: BucketCount[] = [];
    for (let b = since; b < MONDAY; b += BUCKET_MS) counts.push(fromNetworks('signal', b, 1, 50));
    const index = new CountIndex(counts, since);
    expect(baselineFor('signal', MONDAY + 10 * HOUR, index)).toBe(cap);
    // So 40 networks still make an outage afterwards.
    const feed = buildFeed({
      now: MONDAY + 2 * BUCKET_MS - 1,
      counts: [
        ...counts,
        fromNetworks('signal', MONDAY, 15, 1),
        fromNetworks('signal', MONDAY + BUCKET_MS, 40, 1),
      ],
      breakdown: [],
      since,
    });
    expect(feed.services.signal?.level).toBe('outage');
  });

  it('reads buckets counted before networks were as one network per report', () => {
    const index = new CountIndex([{ service: 'slack', bucket: MONDAY, reports: 7 }]);
    expect(index.networks('slack', MONDAY)).toBe(7);
  });
});

describe('baselineFor', () => {
  const from = MONDAY - 4 * WEEK;
  const busyWeekdays: Volume = (b) => {
    const day = new Date(b).getUTCDay();
    const h = hourOf(b);
    return day >= 1 && day <= 5 && h >= 8 && h < 18 ? 100 : 5;
  };

  it('is the floor for a service with almost no reports', () => {
    const index = new CountIndex(
      history('signal', (b) => (noise(b) > 0.9 ? 1 : 0), from, MONDAY),
      from,
    );
    expect(baselineFor('signal', MONDAY + 10 * HOUR, index)).toBe(ALGORITHM.floor);
  });

  it('is the cold-start baseline with no history at all', () => {
    expect(baselineFor('signal', MONDAY, new CountIndex([]))).toBe(ALGORITHM.coldStartBaseline);
  });

  it('in cold start follows the service’s own earlier buckets once it has an hour of them', () => {
    const start = MONDAY + 6 * HOUR;
    const index = new CountIndex(
      history('slack', () => 80, start, MONDAY + 9 * HOUR),
      start,
    );
    expect(baselineFor('slack', MONDAY + 9 * HOUR, index)).toBe(80);
    expect(baselineFor('slack', start + 2 * BUCKET_MS, index)).toBe(ALGORITHM.coldStartBaseline);
  });

  it('uses the same weekday once there are two weeks: Saturday is quiet, Monday busy', () => {
    const index = new CountIndex(history('teams', busyWeekdays, from, MONDAY + DAY), from);
    expect(baselineFor('teams', MONDAY + 10 * HOUR, index)).toBe(100);
    expect(baselineFor('teams', MONDAY - 2 * DAY + 10 * HOUR, index)).toBe(5);
  });

  it('uses every day’s same slot with less than two weeks of history', () => {
    const since = MONDAY - 5 * DAY; // Wednesday to Sunday: 3 busy days, 2 quiet ones
    const index = new CountIndex(history('teams', busyWeekdays, since, MONDAY), since);
    expect(baselineFor('teams', MONDAY + 10 * HOUR, index)).toBe(100);
  });

  it('is not raised by one past outage in the same slot (median, not mean)', () => {
    const lastWeekOutage: Volume = (b) =>
      b >= MONDAY - WEEK + 9 * HOUR && b < MONDAY - WEEK + 11 * HOUR ? 5000 : 40;
    const index = new CountIndex(history('whatsapp', lastWeekOutage, from, MONDAY), from);
    expect(baselineFor('whatsapp', MONDAY + 10 * HOUR, index)).toBe(40);
  });
});

describe('buildFeed levels on synthetic days', () => {
  const from = MONDAY - 4 * WEEK;

  it('keeps a quiet service (0–2 reports a bucket) normal all day, even with a single bucket of 8', () => {
    const spike = MONDAY + 13 * HOUR;
    const quiet: Volume = (b) => (b === spike ? 8 : Math.floor((noise(b, 3) + 1) * 1.5));
    const levels = levelsOver('signal', quiet, { from, start: MONDAY, end: MONDAY + DAY, step: 3 * MIN });
    expect(levels.filter((l) => l.level !== 'normal').map((l) => at(l.now))).toEqual([]);
  });

  describe('a 40 → 1,000 reports spike within an hour', () => {
    const start = MONDAY + 9 * HOUR;
    const usual = (b: number): number => 40 * (1 + 0.15 * noise(b, 5));
    it.each<[string, number[]]>([
      ['London-style: 150, 400, 750, 1000', [150, 400, 750, 1000]],
      ['linear: 280, 520, 760, 1000', [280, 520, 760, 1000]],
      ['geometric: 89, 200, 447, 1000', [89, 200, 447, 1000]],
      ['a step straight to 1000', [1000]],
    ])('%s reaches outage within 2 buckets and recovers', (_, ramp) => {
      const holdUntil = start + 2 * HOUR;
      const volume: Volume = (b) => {
        if (b < start || b >= holdUntil) return usual(b);
        return ramp[(b - start) / BUCKET_MS] ?? 1000;
      };
      const levels = levelsOver('whatsapp', volume, {
        from,
        start: MONDAY + 7 * HOUR,
        end: holdUntil + HOUR,
        step: MIN,
      });
      // No alarm before the spike.
      expect(levels.filter((l) => l.now < start && l.level !== 'normal')).toEqual([]);
      // The spike "starts" with its first bucket clearly above usual (≥ 3 × 40).
      const firstStrong = start + ramp.findIndex((r) => r >= 120) * BUCKET_MS;
      const firstOutage = levels.find((l) => l.level === 'outage')?.now;
      expect(firstOutage).toBeDefined();
      expect(firstOutage ?? Number.POSITIVE_INFINITY).toBeLessThan(firstStrong + 2 * BUCKET_MS);
      // On the way up the level never steps down (no outage → elevated → outage flapping).
      const during = levels.filter((l) => l.now >= start && l.now < holdUntil).map((l) => rank(l.level));
      for (let i = 1; i < during.length; i++) expect(during[i]).toBeGreaterThanOrEqual(during[i - 1] ?? 0);
      // Once reports are back to usual, normal within one bucket.
      const after = levels.filter((l) => l.now >= holdUntil + BUCKET_MS);
      expect(after.filter((l) => l.level !== 'normal')).toEqual([]);
    });

    it('passes through elevated when the first spike bucket is already outage-sized', () => {
      const ramp = [280, 520, 760, 1000];
      const volume: Volume = (b) =>
        b >= start && b < start + 2 * HOUR ? (ramp[(b - start) / BUCKET_MS] ?? 1000) : usual(b);
      const levels = levelsOver('whatsapp', volume, { from, start, end: start + HOUR, step: MIN });
      const firstElevated = levels.find((l) => l.level === 'elevated')?.now ?? Number.POSITIVE_INFINITY;
      const firstOutage = levels.find((l) => l.level === 'outage')?.now ?? Number.POSITIVE_INFINITY;
      expect(firstElevated).toBeLessThan(firstOutage);
      expect(firstOutage).toBeLessThan(start + 2 * BUCKET_MS);
    });
  });

  describe('a slow daily rhythm (5 at night → 120 at midday) never alarms', () => {
    const rhythm = (hour: number): number => 5 + 115 * ((1 - Math.cos((2 * Math.PI * hour) / 24)) / 2);
    it.each<[string, Volume]>([
      ['the same every day', (b) => rhythm(hourOf(b)) * (1 + 0.1 * noise(b, 7))],
      ['growing 1 % a day', (b) => rhythm(hourOf(b)) * 1.01 ** ((b - from) / DAY) * (1 + 0.1 * noise(b, 7))],
      ['today an hour early (a DST change)', (b) => rhythm(hourOf(b) + (b >= MONDAY ? 1 : 0))],
    ])('%s', (_, volume) => {
      const levels = levelsOver('telegram', volume, {
        from,
        start: MONDAY,
        end: MONDAY + DAY,
        step: 3 * MIN,
      });
      expect(levels).toHaveLength(480);
      expect(levels.filter((l) => l.level !== 'normal').map((l) => at(l.now))).toEqual([]);
    });
  });

  describe('cold start (no history before the burst)', () => {
    const burstAt = MONDAY + 10 * HOUR;
    it.each<[string, number[], Level]>([
      ['200 reports in one bucket is not an outage', [200], 'elevated'],
      ['200 reports persisting into the next bucket is an outage', [200, 200], 'outage'],
      ['10 reports is normal', [10], 'normal'],
      ['300 reports in one bucket passes the surge bar', [300], 'outage'],
    ])('%s', (_, burst, worst) => {
      const volume: Volume = (b) => (b >= burstAt ? (burst[(b - burstAt) / BUCKET_MS] ?? 0) : 0);
      const levels = levelsOver('discord', volume, {
        from: burstAt,
        start: burstAt,
        end: burstAt + (burst.length + 2) * BUCKET_MS,
        step: MIN,
      });
      const highest = levels.reduce((m, l) => Math.max(m, rank(l.level)), 0);
      expect(LEVELS[highest]).toBe(worst);
      if (worst === 'outage' && burst.length > 1) {
        // Confirmed early in the second bucket, never in the first.
        const first = levels.find((l) => l.level === 'outage')?.now ?? 0;
        expect(first).toBeGreaterThanOrEqual(burstAt + BUCKET_MS);
        expect(first).toBeLessThan(burstAt + BUCKET_MS + 5 * MIN);
      }
      // Two buckets after the burst ends, everything is normal again.
      const late = levels.filter((l) => l.now >= burstAt + (burst.length + 1) * BUCKET_MS);
      expect(late.every((l) => l.level === 'normal')).toBe(true);
    });
  });

  describe('weekday awareness: busy on weekdays, quiet on weekends', () => {
    const busy = (b: number, earlier: number): number => {
      const day = new Date(b).getUTCDay();
      const h = hourOf(b) + earlier;
      const level = h >= 8 && h < 18 ? 100 : h >= 7 && h < 8 ? 50 : 5;
      return (day >= 1 && day <= 5 ? level : 5) * (1 + 0.1 * noise(b, 11));
    };
    it.each<[string, number, number]>([
      ['with 4 weeks of history', 4 * WEEK, 0],
      ['with 2 weeks of history', 2 * WEEK, 0],
      ['with 1 week of history (every day’s slot)', WEEK, 0],
      ['when Monday starts an hour early (a DST change)', 4 * WEEK, 1],
    ])('Monday morning does not alarm %s', (_, weeks, earlier) => {
      const volume: Volume = (b) => busy(b, b >= MONDAY ? earlier : 0);
      const levels = levelsOver('teams', volume, {
        from: MONDAY - weeks,
        start: MONDAY,
        end: MONDAY + 12 * HOUR,
        step: 3 * MIN,
      });
      expect(levels.filter((l) => l.level !== 'normal').map((l) => at(l.now))).toEqual([]);
    });
  });
});

describe('buildFeed document', () => {
  const now = MONDAY + 10 * HOUR + 7 * MIN + 30_000;
  const from = MONDAY - 4 * WEEK;
  const countries = ['GB', 'US', 'IN', 'DE', 'FR', 'IT', 'ES', 'BR', 'NL', 'PL', 'SE', 'JP'];
  const breakdown: Breakdown[] = [
    ...countries.map((key, i) => ({
      service: 'whatsapp' as const,
      kind: 'country' as const,
      key,
      reports: 100 - i,
    })),
    { service: 'whatsapp', kind: 'country', key: 'gb', reports: 500 },
    { service: 'whatsapp', kind: 'problem', key: 'messages', reports: 300 },
    { service: 'whatsapp', kind: 'problem', key: 'connection', reports: 90 },
    { service: 'whatsapp', kind: 'problem', key: 'login', reports: 22 },
    { service: 'whatsapp', kind: 'problem', key: 'spam', reports: 999 },
    { service: 'whatsapp', kind: 'problem', key: 'login', reports: 3 },
  ];
  const counts: BucketCount[] = [
    ...countsAt('whatsapp', (b) => 30 + 10 * noise(b), from, now),
    // Telegram's last report was 25 hours ago: absent.
    { service: 'telegram', bucket: bucketStart(now - 25 * HOUR), reports: 12 },
  ];
  const feed = buildFeed({ now, counts, breakdown });

  it('passes readFeed with nothing dropped, through JSON', () => {
    const read = readFeed(JSON.parse(JSON.stringify(feed)));
    expect(read).toEqual({ feed, dropped: 0 });
  });

  it('has the header of protocol v1', () => {
    expect(feed.version).toBe(1);
    expect(feed.bucketMinutes).toBe(15);
    expect(feed.generatedAt).toBe('2026-11-23T10:07:30Z');
  });

  it('lists only services with a report in the last 24 h', () => {
    expect(Object.keys(feed.services)).toEqual(['whatsapp']);
  });

  it('has 96 series points, oldest first, ending at the current bucket, in ISO time', () => {
    const series = feed.services.whatsapp?.series ?? [];
    expect(series).toHaveLength(SERIES_BUCKETS);
    expect(series[0]?.t).toBe('2026-11-22T10:15:00Z');
    expect(series.at(-1)?.t).toBe('2026-11-23T10:00:00Z');
    for (let i = 1; i < series.length; i++) {
      expect(Date.parse(series[i]?.t ?? '') - Date.parse(series[i - 1]?.t ?? '')).toBe(BUCKET_MS);
    }
    const current = counts.find((c) => c.service === 'whatsapp' && c.bucket === MONDAY + 10 * HOUR);
    expect(feed.services.whatsapp?.recent).toBe(current?.reports);
    expect(series.at(-1)?.reports).toBe(current?.reports);
    expect(feed.services.whatsapp?.baseline).toBe(series.at(-1)?.baseline);
    expect(feed.services.whatsapp?.level).toBe('normal');
  });

  it('keeps the top 10 countries and the known problems, largest first', () => {
    const s = feed.services.whatsapp;
    expect(Object.keys(s?.countries ?? {})).toEqual(countries.slice(0, 10));
    expect(s?.countries.GB).toBe(100);
    expect(s?.problems).toEqual({ messages: 300, connection: 90, login: 25 });
    expect(Object.keys(s?.problems ?? {})).toEqual(['messages', 'connection', 'login']);
  });

  it('lists a service with no breakdown with empty problems and countries', () => {
    const only = buildFeed({ now, counts, breakdown: [] });
    expect(only.services.whatsapp?.problems).toEqual({});
    expect(only.services.whatsapp?.countries).toEqual({});
  });

  it('is empty with no counts at all', () => {
    expect(buildFeed({ now, counts: [], breakdown }).services).toEqual({});
  });
});

describe('buildFeed performance', () => {
  it('builds the 13 catalog services × 4 weeks of buckets (~35,000 counts) in under 20 ms', () => {
    const now = MONDAY + 10 * HOUR + 3 * MIN;
    const counts: BucketCount[] = [];
    for (const [i, service] of SERVICE_IDS.entries()) {
      for (let b = bucketStart(now) - 4 * WEEK + BUCKET_MS; b <= bucketStart(now); b += BUCKET_MS) {
        counts.push({ service, bucket: b, reports: Math.round(20 * (i + 1) * (1.2 + noise(b, i))) });
      }
    }
    expect(counts.length).toBeGreaterThan(34_000);
    const breakdown: Breakdown[] = SERVICE_IDS.flatMap((service) => [
      { service, kind: 'problem', key: 'messages', reports: 40 },
      { service, kind: 'country', key: 'GB', reports: 30 },
    ]);
    buildFeed({ now: now - DAY, counts, breakdown }); // warm-up (JIT)
    const t0 = performance.now();
    const feed = buildFeed({ now, counts, breakdown });
    const ms = performance.now() - t0;
    expect(Object.keys(feed.services)).toHaveLength(SERVICE_IDS.length);
    console.info(`buildFeed: ${counts.length} counts, ${SERVICE_IDS.length} services in ${ms.toFixed(1)} ms`);
    // Target 20 ms; 50 ms allowed for CI noise.
    expect(ms).toBeLessThan(50);
  });
});
