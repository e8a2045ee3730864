// The crowd of browsers (issue 12, items 5 and 7), in `npm run bench`: thousands of simulated browsers,
// each running the extension's real check on one virtual clock against the real feed code, through a
// global outage, a one-country outage, one broken network, a week of lost packets with a griefer, and
// the sampling loop; then the request rate at 10 million users from what they measured. The parts run
// side by side in three processes (bench/crowd-process.ts). Prints `crowd_*` lines.

import { DEFAULTS } from '../server/server';
import { RESPONSE_HEADER_BYTES } from './cost';
import type { CrowdPart, PartResult } from './crowd-process';
import { type CrowdSize, globalOutage, type OutageRun } from './crowd-scenarios';
import { sizing } from './crowd-sizing';
import type { WeekSpec } from './crowd-week';
import { CROWD_COUNTRIES } from './crowd-world';
import {
  ANSWER_BODY_BYTES,
  OBSERVATION_POST_HEADER_BYTES,
  OBSERVATION_PREFLIGHT_HEADER_BYTES,
} from './observe-cost';
import { runJsonScript } from './processes';
import type { ObservationCost, Out } from './server';
import { percentile } from './simulate';

export const OUTAGE_CROWD: CrowdSize = { browsers: 2000, networks: 500 };
const WEEK: Omit<WeekSpec, 'days'> = { browsers: 45, networks: 30, seed: 7, loss: 0.05 };
const SAMPLING = { size: { browsers: 300, networks: 100 }, target: 6, minutes: 45 };
const USERS = 10_000_000;
const CDN_EDGES = 300;
/** The server bench's figures of the recorded run (server/README.md), when it is not run. */
const RECORDED_COST: ObservationCost = {
  observationsPerCpuSecond: 5308,
  reportsPerCpuSecond: 8934,
  vsReport: 1.68,
};
const TARGET_EVERYONE_S = 180;
const TARGET_COUNTRY_SHARE = 0.95;

const seconds = (ms: number | null) => (ms === null ? Number.POSITIVE_INFINITY : ms / 1000);
const round = (x: number, d = 1) => Number(x.toFixed(d));
const fmt = (s: number) => (Number.isFinite(s) ? `${round(s)}` : 'never');
const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
const thousands = (x: number) => Math.round(x).toLocaleString('en-US');

/** Median and p95 of times in seconds (never: infinite). */
function spread(times: readonly number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

/** Share of browsers that posted in each of the first minutes of the runs' outages. */
function postShares(runs: readonly OutageRun[], size: CrowdSize, minutes: number): number[] {
  return Array.from(
    { length: minutes },
    (_, m) => runs.reduce((sum, r) => sum + (r.postsByMinute[m] ?? 0), 0) / runs.length / size.browsers,
  );
}

export async function crowdBench(
  out: Out,
  measured: ObservationCost | null,
  options: { runs: number; days: number },
): Promise<void> {
  const started = performance.now();
  // The week and the other outages each in a process of their own, the global outages here: three
  // parts side by side. A part that fails is reported when awaited, not as an unhandled rejection.
  const part = <P extends CrowdPart>(p: P) => {
    const running = runJsonScript<PartResult<P>>('bench/crowd-process.ts', p, `crowd ${p.part}`);
    running.catch(() => undefined);
    return running;
  };
  const weekRun = part({ part: 'week', spec: { ...WEEK, days: options.days } });
  const rest = part({
    part: 'country-network-sampling',
    size: OUTAGE_CROWD,
    runs: options.runs,
    sampling: SAMPLING,
  });
  const global: OutageRun[] = [];
  for (let i = 0; i < options.runs; i++) global.push(await globalOutage(OUTAGE_CROWD, 1 + i));
  const globalSeconds = (performance.now() - started) / 1000;
  const { country, broken, sampling } = await rest;
  const w = await weekRun;
  const wallSeconds = (performance.now() - started) / 1000;

  out(
    'crowd_outage_crowd',
    `${OUTAGE_CROWD.browsers} browsers over ${OUTAGE_CROWD.networks} IPv4 /24s in ${CROWD_COUNTRIES.length} countries ` +
      `(${CROWD_COUNTRIES.map((c) => c.code).join(', ')}), ${options.runs} runs per outage, each with its own seed ` +
      'and phases; the outage starts 2.5–3.5 min in; the feed refreshes every ' +
      `${DEFAULTS.feedRefreshMs / 1000} s, browsers read it through a CDN edge (max-age ${global[0]?.maxAgeSeconds} s)`,
  );

  const feedEveryone = spread(global.map((r) => seconds(r.feed)));
  out('crowd_global_feed_everyone_median', fmt(feedEveryone.median), 's');
  out(
    'crowd_global_feed_everyone_p95',
    fmt(feedEveryone.p95),
    `s (target ≤ ${TARGET_EVERYONE_S} s: ${met(feedEveryone.p95 <= TARGET_EVERYONE_S)})`,
  );
  const browsersEveryone = spread(global.flatMap((r) => r.browsers.map(seconds)));
  out(
    'crowd_global_browsers_everyone_median',
    fmt(browsersEveryone.median),
    's (verdict down, scope everyone)',
  );
  out('crowd_global_browsers_everyone_p95', fmt(browsersEveryone.p95), 's');
  out(
    'crowd_global_wrong',
    `${global.reduce((n, r) => n + r.wrongDocuments, 0)} documents, ${global.reduce((n, r) => n + r.wrongVerdicts, 0)} browser verdicts said country`,
  );

  const shown = country.filter((r) => r.feed !== null && r.wrongDocuments === 0 && r.wrongVerdicts === 0);
  const share = shown.length / country.length;
  out(
    'crowd_country_shown_as_country',
    `${shown.length}/${country.length} runs = ${round(100 * share, 0)} %`,
    `(target ≥ ${100 * TARGET_COUNTRY_SHARE} %: ${met(share >= TARGET_COUNTRY_SHARE)})`,
  );
  const feedCountry = spread(country.map((r) => seconds(r.feed)));
  out('crowd_country_feed_country_median', fmt(feedCountry.median), 's');
  out('crowd_country_feed_country_p95', fmt(feedCountry.p95), 's');
  const browsersCountry = spread(country.flatMap((r) => r.browsers.map(seconds)));
  out('crowd_country_browsers_country_median', fmt(browsersCountry.median), 's (browsers in IT)');
  out('crowd_country_browsers_country_p95', fmt(browsersCountry.p95), 's');
  out(
    'crowd_country_wrong',
    `${country.reduce((n, r) => n + r.wrongDocuments, 0)} documents, ${country.reduce((n, r) => n + r.wrongVerdicts, 0)} browser verdicts said everyone or another country`,
  );

  const brokenOk = broken.down === 0 && broken.onlyYou === broken.checksAfter && broken.wrongDocuments === 0;
  out(
    'crowd_network_only_you',
    `${broken.onlyYou} of ${broken.checksAfter} checks of the broken /24's ${broken.brokenBrowsers} browsers said ` +
      `"only your network" (degraded, cause local); down: ${broken.down}; first said after ` +
      `${fmt(spread(broken.browsers.map(seconds)).median)} s (median); feed everyone/country: ` +
      `${broken.wrongDocuments} documents, ${broken.wrongVerdicts} verdicts`,
    `(target all, 0 down, 0: ${met(brokenOk)})`,
  );

  out(
    'crowd_week_crowd',
    `${w.browserHours > 0 ? WEEK.browsers : 0} browsers over ${WEEK.networks} /24s in ${CROWD_COUNTRIES.length} countries ` +
      `(fewer networks than the outages': the harder case), each open 8–12 h of its day ` +
      `(${w.openMin}–${w.openMax} open at once), ${options.days} days, ${round(100 * WEEK.loss, 0)} % of probe attempts lost, ` +
      `${thousands(w.checks)} checks`,
  );
  const weekOk =
    w.falseEveryoneDocuments + w.falseCountryDocuments + w.falseEveryoneVerdicts + w.falseCountryVerdicts ===
    0;
  out(
    'crowd_week_false_everyone',
    `${w.falseEveryoneDocuments} documents, ${w.falseEveryoneVerdicts} browser verdicts`,
    `(target 0: ${met(w.falseEveryoneDocuments + w.falseEveryoneVerdicts === 0)})`,
  );
  out(
    'crowd_week_false_country',
    `${w.falseCountryDocuments} documents, ${w.falseCountryVerdicts} browser verdicts`,
    `(target 0: ${met(w.falseCountryDocuments + w.falseCountryVerdicts === 0)})`,
  );
  out('crowd_week_documents', thousands(w.documents), 'documents with new content');
  out(
    'crowd_week_griefer',
    `${thousands(w.griefer.posts)} posts of "down" for WhatsApp from one /24 (16 made-up ids and addresses, claiming IT): ` +
      `${thousands(w.griefer.accepted)} accepted, ${thousands(w.griefer.counted)} counted, ${thousands(w.griefer.refused)} refused (429); ` +
      `most networks down for WhatsApp in any document: ${w.whatsappMostDown}`,
  );
  out('crowd_week_down_verdicts', w.downVerdicts, 'verdicts (5 % loss alone)');
  out('crowd_week_only_you_verdicts', w.onlyYouVerdicts, 'verdicts');
  out(
    'crowd_week_networks_counted',
    round(100 * w.countedShare, 1),
    '% of the networks with a browser open ≥ 5 min (outside the 20 min after each salt change)',
  );
  out('crowd_week_targets', met(weekOk));

  const rateTail = sampling.minutes.slice(-20);
  const samples = rateTail.map((m) => m.sample ?? 1);
  const fullRate = (SAMPLING.size.browsers * w.postsPerBrowserHour) / 60;
  out(
    'crowd_sampling_loop',
    `${SAMPLING.size.browsers} browsers over ${SAMPLING.size.networks} /24s opened over 16 min, target ` +
      `${SAMPLING.target} observations/min (the whole crowd would send about ${round(fullRate)}/min), ${SAMPLING.minutes} min`,
  );
  out(
    'crowd_sampling_sample',
    [0, 5, 10, 20, 30, SAMPLING.minutes - 1]
      .map((m) => `${sampling.minutes[m]?.sample ?? 1} at ${m} min`)
      .join(', '),
  );
  out(
    'crowd_sampling_last_20_min',
    `${round(rateTail.reduce((n, m) => n + m.observations, 0) / rateTail.length)} observations/min (target ` +
      `${SAMPLING.target}), sample ${Math.min(...samples)}–${Math.max(...samples)}`,
  );

  const cost = measured ?? RECORDED_COST;
  const whence = measured ? 'measured above' : 'recorded run, server/README.md; the server bench was skipped';
  out(
    'crowd_server_observation_cost_vs_report',
    round(cost.vsReport, 2),
    `x a report in server CPU time (${whence})`,
  );
  out('crowd_server_observations_per_cpu_second', thousands(cost.observationsPerCpuSecond), `(${whence})`);

  const shares = postShares(global, OUTAGE_CROWD, 2);
  const body = global.reduce((n, r) => n + r.bodyBytesPerPost, 0) / global.length;
  const postRequestBytes = OBSERVATION_PREFLIGHT_HEADER_BYTES + OBSERVATION_POST_HEADER_BYTES + body;
  const s = sizing({
    users: USERS,
    steadyPostsPerHour: w.postsPerBrowserHour,
    outagePostShares: shares,
    readsPerMinuteSteady: w.readsPerBrowserHour / 60,
    readsPerMinuteOutage: global.reduce((n, r) => n + r.readsPerMinuteAfter, 0) / global.length,
    postBytes: postRequestBytes + 2 * RESPONSE_HEADER_BYTES + ANSWER_BODY_BYTES,
    observationsPerCpuSecond: cost.observationsPerCpuSecond,
    target: DEFAULTS.observeTarget,
    cdnMaxAgeSeconds: global[0]?.maxAgeSeconds ?? 15,
    cdnEdges: CDN_EDGES,
  });
  out(
    'crowd_measured_posts_per_browser_hour',
    round(w.postsPerBrowserHour, 2),
    'posts (the week, steady state)',
  );
  out(
    'crowd_measured_outage_post_shares',
    shares.map((x) => `${round(100 * x)} %`).join(', '),
    'of browsers posted in each of the first 2 minutes of a global outage (the runs see both whole)',
  );
  out(
    'crowd_measured_feed_reads_per_browser_minute',
    `${round(w.readsPerBrowserHour / 60, 2)} steady, ${round(s.cdnReadsOutage / (USERS / 60), 2)} in a global outage`,
  );
  out(
    'crowd_measured_post_bytes',
    `${round(postRequestBytes, 0)} request bytes with the preflight, ${round(postRequestBytes + 2 * RESPONSE_HEADER_BYTES + ANSWER_BODY_BYTES, 0)} with the answers`,
  );
  const line = (r: (typeof s)['steady']['with']) =>
    `${thousands(r.posts)} posts/s (${thousands(r.requests)} requests/s with the preflights, ${round(r.mbps)} Mbit/s), ` +
    `${round(r.cores, 2)} cores`;
  out('crowd_10m_sample_steady', s.sample, `(target ${thousands(DEFAULTS.observeTarget)} observations/min)`);
  out('crowd_10m_steady_without_sampling', line(s.steady.without));
  out('crowd_10m_steady_with_sampling', line(s.steady.with));
  out('crowd_10m_outage_without_sampling', line(s.outage.without), '(busiest minute)');
  out('crowd_10m_outage_with_sampling', line(s.outage.with), '(busiest minute)');
  out(
    'crowd_10m_outage_minutes_with_sampling',
    s.outageMinutes.map((m) => `${thousands(m.posts)}/s (sample ${m.sample})`).join(', '),
  );
  out(
    'crowd_10m_cdn',
    `${thousands(s.cdnReads)} reads/s steady, ${thousands(s.cdnReadsOutage)} in an outage, at the edges; ` +
      `${round(s.originRevalidations)} revalidations/s at the origin (${CDN_EDGES} edges × 2 encodings / max-age)`,
  );
  out(
    'crowd_wall_time',
    `${round(wallSeconds, 0)} s (three processes side by side; the global outages took ${round(globalSeconds, 0)} s)`,
  );
}
