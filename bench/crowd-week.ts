// A simulated week of the crowd with no outage at all: 5 % of all probe attempts lost at random, for
// every browser, and one griefing /24 that posts "down" for WhatsApp all week (made-up client ids, many
// addresses of its network, a claimed country, steady posts and hourly floods), through the same path
// as the route (bench/crowd-server.ts: its rate limits, schema and rows). Browsers are open part of each
// day (their morning to their evening, in their country's time), so the networks the feed sees go from
// many to few every day, the harder case. Counts every `everyone` and `country` the feed or a browser
// said: all false.

import type { ServiceId } from '../src/core/services';
import { runCrowd } from './crowd-run';
import type { CrowdServer } from './crowd-server';
import { type CrowdBrowser, type CrowdCountry, makeCrowd } from './crowd-world';
import { random } from './simulate';
import type { VirtualTime } from './virtual-time';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** The countries' offsets from UTC, in hours (standard time, as in November). */
const UTC_OFFSET: Record<CrowdCountry, number> = {
  IT: 1,
  FR: 1,
  DE: 1,
  GB: 0,
  US: -5,
  BR: -3,
  IN: 5.5,
  ID: 7,
};
/** A documentation network (TEST-NET-3), outside every browser's. */
const GRIEFER_PREFIX = '203.0.113';
const GRIEFER_IDS = 16;
const GRIEFER_EVERY_MS = 10_000;
const GRIEFER_FLOOD = 200;

export interface WeekSpec {
  readonly browsers: number;
  readonly networks: number;
  readonly seed: number;
  readonly days: number;
  readonly loss: number;
}

export interface WeekResult {
  readonly checks: number;
  readonly browserHours: number;
  /** Most browsers open at once, and fewest (after the first hour). */
  readonly openMax: number;
  readonly openMin: number;
  readonly documents: number;
  /** Documents that said `everyone` or `country` for some service. */
  readonly falseEveryoneDocuments: number;
  readonly falseCountryDocuments: number;
  /** Browser verdicts that turned to `everyone` or `country` for some service. */
  readonly falseEveryoneVerdicts: number;
  readonly falseCountryVerdicts: number;
  /** Browser verdicts that turned to down, and to "only your network". */
  readonly downVerdicts: number;
  readonly onlyYouVerdicts: number;
  /** The most networks any document counted down for WhatsApp. */
  readonly whatsappMostDown: number;
  readonly griefer: { posts: number; accepted: number; counted: number; refused: number };
  /** The honest browsers' posts and feed reads per hour open. */
  readonly postsPerBrowserHour: number;
  readonly readsPerBrowserHour: number;
  /**
   * Networks the feed counted (Telegram's down + up, which the griefer does not post) over networks with
   * a browser open for 5 minutes or more, averaged over the minutes outside the 20 after each UTC
   * midnight (when the address salt changes and the counts start again).
   */
  readonly countedShare: number;
}

/** Opens each browser from a random hour of its morning (7–10, its country's time) for 8–12 hours, every day. */
function dailyPresence(seed: number, days: number, open: Map<number, number>, hours: { total: number }) {
  return (b: CrowdBrowser, browser: { start(at: number): void; close(): void }, vt: VirtualTime) => {
    const rnd = random(seed * 31 + b.index);
    const opens = ((7 + 3 * rnd() - UTC_OFFSET[b.network.country]) * HOUR + DAY) % DAY;
    const length = (8 + 4 * rnd()) * HOUR;
    for (let day = -1; day < days; day++) {
      const start = day * DAY + opens;
      const end = start + length;
      if (end <= 0 || start >= days * DAY) continue;
      const from = Math.max(start, b.phaseMs);
      hours.total += (Math.min(end, days * DAY) - from) / HOUR;
      vt.setTimer(() => {
        open.set(b.index, vt.now);
        browser.start(vt.now);
      }, from);
      vt.setTimer(() => {
        open.delete(b.index);
        browser.close();
      }, end);
    }
  };
}

/** The griefing network: a post every 10 s from one of its made-up ids, and a flood of 200 every hour. */
function griefer(stats: WeekResult['griefer']) {
  return (vt: VirtualTime, server: CrowdServer) => {
    let n = 0;
    const post = async () => {
      const i = n++ % GRIEFER_IDS;
      const body = JSON.stringify({
        client: `griefer-${String(i).padStart(2, '0')}-made-up-id`,
        country: 'IT',
        services: { whatsapp: 'down' },
      });
      stats.posts++;
      const answer = await server.answer(
        '/v1/observations',
        { method: 'POST', body },
        `${GRIEFER_PREFIX}.${10 + i}`,
      );
      if (answer.status === 202) {
        stats.accepted++;
        if (((await answer.json()) as { counted?: boolean }).counted) stats.counted++;
      } else stats.refused++;
    };
    const steady = () => {
      void post();
      vt.setTimer(steady, GRIEFER_EVERY_MS);
    };
    const flood = () => {
      for (let k = 0; k < GRIEFER_FLOOD; k++) void post();
      vt.setTimer(flood, HOUR);
    };
    vt.setTimer(steady, 1000);
    vt.setTimer(flood, 30 * MIN);
  };
}

export async function crowdWeek(spec: WeekSpec): Promise<WeekResult> {
  const crowd = makeCrowd({ browsers: spec.browsers, networks: spec.networks, seed: spec.seed });
  const open = new Map<number, number>();
  const hours = { total: 0 };
  const grief = { posts: 0, accepted: 0, counted: 0, refused: 0 };
  let documents = 0;
  let falseEveryoneDocuments = 0;
  let falseCountryDocuments = 0;
  let whatsappMostDown = 0;
  const verdicts = { everyone: 0, country: 0, network: 0, down: 0 };
  const last = new Map<string, { scope: string | undefined; status: string | undefined }>();
  let openMax = 0;
  let openMin = Number.POSITIVE_INFINITY;
  let shareSum = 0;
  let shareMinutes = 0;
  const result = await runCrowd({
    crowd,
    seed: spec.seed,
    durationMs: spec.days * DAY,
    loss: spec.loss,
    pollMs: MIN,
    presence: dailyPresence(spec.seed, spec.days, open, hours),
    actors: [griefer(grief)],
    onDocument: (doc) => {
      documents++;
      const scopes = Object.values(doc.services).map((s) => s?.probes?.scope);
      if (scopes.includes('everyone')) falseEveryoneDocuments++;
      if (scopes.includes('country')) falseCountryDocuments++;
      whatsappMostDown = Math.max(whatsappMostDown, doc.services.whatsapp?.probes?.down ?? 0);
    },
    onSave: (b, record, _at, after) => {
      if (after !== 'check') return;
      for (const [id, s] of Object.entries(record.state.services) as [
        ServiceId,
        (typeof record.state.services)[ServiceId],
      ][]) {
        const key = `${b.index}/${id}`;
        const was = last.get(key);
        const now = { scope: s?.scope?.kind, status: s?.status };
        for (const kind of ['everyone', 'country', 'network'] as const) {
          if (now.scope === kind && was?.scope !== kind) verdicts[kind]++;
        }
        if (now.status === 'down' && was?.status !== 'down') verdicts.down++;
        last.set(key, now);
      }
    },
    onPoll: async (server, now) => {
      if (now < HOUR) return;
      openMax = Math.max(openMax, open.size);
      openMin = Math.min(openMin, open.size);
      if (now % DAY < 20 * MIN) return;
      const nets = new Set<number>();
      for (const [index, since] of open) {
        if (now - since >= 5 * MIN) nets.add(crowd.browsers[index]?.network.index ?? -1);
      }
      if (nets.size === 0) return;
      const doc = JSON.parse((await server.origin()).body.toString('utf8')) as {
        services: { telegram?: { probes?: { down: number; up: number } } };
      };
      const probes = doc.services.telegram?.probes;
      shareSum += Math.min(1, ((probes?.down ?? 0) + (probes?.up ?? 0)) / nets.size);
      shareMinutes++;
    },
  });
  const honestPosts = result.server.posts - grief.posts;
  return {
    checks: result.checks,
    browserHours: hours.total,
    openMax,
    openMin: Number.isFinite(openMin) ? openMin : 0,
    documents,
    falseEveryoneDocuments,
    falseCountryDocuments,
    falseEveryoneVerdicts: verdicts.everyone,
    falseCountryVerdicts: verdicts.country,
    downVerdicts: verdicts.down,
    onlyYouVerdicts: verdicts.network,
    whatsappMostDown,
    griefer: grief,
    postsPerBrowserHour: honestPosts / hours.total,
    readsPerBrowserHour: result.server.edgeReads / hours.total,
    countedShare: shareMinutes > 0 ? shareSum / shareMinutes : Number.NaN,
  };
}
