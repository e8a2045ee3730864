// `npm run bench`: the figures named in the issues, one `name: value unit` per line.
// Environment:
//   BENCH_OUTAGES=N          simulated outages for the detection figures (default 1000)
//   BENCH_POPUP_OPENS=N      opens of each page in the popup's paint figures, worker warm and cold
//                            (default 30, as behind the figures in docs/benchmarks.md)
//   BENCH_SKIP_SERVER=1      skip the feed server figures (bench/server.ts: reports/s, reads/s, flood memory)
//   BENCH_FLOOD_SECONDS=N    how long the feed server is flooded before its memory is read (default 600,
//                            the issue's ten minutes; the whole server part then takes about 11 minutes)
//   BENCH_SCALE_SECONDS=N    each run of the scale figures (SQLite, PostgreSQL × 1 and × 2; default 8)
//   BENCH_SKIP_CROWD=1       skip the simulated crowd of browsers (bench/crowd.ts: about 4 minutes)
//   BENCH_CROWD_RUNS=N       runs of each crowd outage (default 20)
//   BENCH_CROWD_DAYS=N       days of the crowd's week (default 7)
import { serviceWorkerGzipBytes, steadyStateCost } from './cost';
import { detectionLatency } from './detection';
import { falseAlarms } from './false-alarms';
import { metaOutage, notificationMonth } from './notifications';
import { observationHour } from './observe-cost';
import { relapseLatency } from './relapse';
import type { ObservationCost } from './server';

const OUTAGES = Number(process.env.BENCH_OUTAGES ?? 1000);
const out = (name: string, value: number | string, unit = '') =>
  console.log(`${name}: ${value}${unit ? ` ${unit}` : ''}`);
const round = (x: number, d = 1) => Number(x.toFixed(d));

const fast = await detectionLatency(OUTAGES, 'network');
out('detection_outages_simulated', OUTAGES, 'outages');
out('detection_fast_failure_median', round(fast.median), 's');
out('detection_fast_failure_p95', round(fast.p95), 's');
const hang = await detectionLatency(OUTAGES, 'hang', 2);
out('detection_hanging_failure_median', round(hang.median), 's');
out('detection_hanging_failure_p95', round(hang.p95), 's');

// Down, a short recovery, down for good: the second outage must turn red as fast as the first.
const relapse = await relapseLatency(Math.min(OUTAGES, 200));
out('relapse_first_outage_red_median', round(relapse.firstMedian), 's');
out('relapse_first_outage_red_p95', round(relapse.firstP95), 's');
out('relapse_first_outage_red_checks_max', relapse.firstChecksMax, 'checks');
out('relapse_second_outage_red_median', round(relapse.secondMedian), 's');
out('relapse_second_outage_red_p95', round(relapse.secondP95), 's');
out('relapse_second_outage_red_checks_median', relapse.secondChecksMedian, 'checks');
out('relapse_second_outage_red_checks_max', relapse.secondChecksMax, 'checks');

const week = await falseAlarms(0.05, 7);
out('false_alarm_week_down_verdicts', week.down, 'verdicts');
out('false_alarm_week_naive_down_verdicts', week.naive, 'verdicts');
out('false_alarm_week_degraded_verdicts', week.degraded, 'verdicts');
out('false_alarm_week_offline_verdicts', week.offline, 'verdicts');
out('false_alarm_week_checks', week.checks, 'checks');

const cost = await steadyStateCost();
out('steady_state_requests_per_hour', cost.requestsPerHour, 'requests');
out('steady_state_request_bytes_per_hour_http1', round(cost.requestBytesPerHour / 1024), 'KB');
out('steady_state_bytes_per_hour_http1_upper_bound', round(cost.bytesPerHour / 1024), 'KB');
// Sharing observations (issue 12), per browser: what it adds next to the probes' own cost that hour.
for (const [name, outage] of [
  ['steady', false],
  ['outage', true],
] as const) {
  const hour = await observationHour(outage);
  out(`observe_${name}_posts_per_hour`, hour.posts, 'posts');
  out(`observe_${name}_requests_per_hour`, hour.requests, 'requests (each post and its CORS preflight)');
  out(`observe_${name}_request_bytes_per_hour_http1`, round(hour.requestBytes / 1024, 2), 'KB');
  out(`observe_${name}_bytes_per_hour_http1_upper_bound`, round(hour.bytes / 1024, 2), 'KB');
  out(`observe_${name}_largest_post_body`, hour.largestBody, 'bytes');
  out(`observe_${name}_probe_requests_same_hour`, hour.probeRequests, 'requests');
  out(`observe_${name}_probe_bytes_same_hour_http1_upper_bound`, round(hour.probeBytes / 1024), 'KB');
  out(`observe_${name}_added_bytes_share`, round((100 * hour.bytes) / hour.probeBytes, 1), '% of the probes');
}
const sw = serviceWorkerGzipBytes();
out(
  'service_worker_gzip',
  sw === null ? 'n/a (run npm run build)' : round(sw / 1024, 2),
  sw === null ? '' : 'KB',
);

// The popup: its own JS + CSS gzipped, and how fast a real status is painted (real Chromium).
// Imported here, not at the top, so this block stays self-contained.
const { popupBench, popupGzipBytes } = await import('./popup');
const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];
try {
  out('popup_gzip', round(popupGzipBytes() / 1024, 2), 'KB');
} catch (error) {
  out('popup_gzip', `n/a (${reasonOf(error)})`);
}
const PAINT_FIGURES = [
  'popup_first_status_paint_warm_median',
  'bare_page_paint_warm_median',
  'popup_first_status_vs_bare_page_warm',
  'popup_unseeded_first_status_vs_bare_page_warm',
  'popup_first_status_paint_cold_median',
  'bare_page_paint_cold_median',
  'popup_first_status_vs_bare_page_cold',
  'popup_unseeded_first_status_vs_bare_page_cold',
  'popup_opens_measured',
];
try {
  const popup = await popupBench();
  for (const [which, times] of [
    ['warm', popup.warm],
    ['cold', popup.cold],
  ] as const) {
    out(`popup_first_status_paint_${which}_median`, round(times.popupMs), 'ms');
    out(`bare_page_paint_${which}_median`, round(times.bareMs), 'ms');
    out(`popup_first_status_vs_bare_page_${which}`, round(times.popupMs / times.bareMs, 2), 'x');
    // Opened without its seed, as with a feed set: what the seed saves, in the same run.
    out(`popup_unseeded_first_status_vs_bare_page_${which}`, round(times.unseededMs / times.bareMs, 2), 'x');
  }
  out('popup_opens_measured', popup.opens, 'opens of each page, worker warm and cold');
} catch (error) {
  for (const name of PAINT_FIGURES) out(name, `n/a (${reasonOf(error)})`);
}

const month = await notificationMonth();
out('notify_month_sent', month.sent, 'notifications');
out('notify_month_expected', month.expected, 'notifications');
out('notify_month_down_back_unstable', `${month.down}/${month.back}/${month.unstable}`);
out('notify_month_naive', month.naive, 'notifications');
out('notify_month_relapse_second_outage_red', round(month.relapseRedSeconds), 's');
out('notify_month_relapse_second_outage_red_checks', month.relapseRedChecks, 'checks');
const meta = await metaOutage();
out('notify_meta_outage_notifications', meta.notifications, 'notifications');
out('notify_meta_outage_updates', meta.updates, 'updates of a shown notification');
out('notify_meta_outage_one_per_app', meta.perApp, 'notifications');

// The feed server: its own process as `npm run feed` starts it, loaded from another process.
let observationCost: ObservationCost | null = null;
if (process.env.BENCH_SKIP_SERVER === '1') {
  out('feed_server', 'skipped (BENCH_SKIP_SERVER=1)');
} else {
  const { serverBench } = await import('./server');
  observationCost = await serverBench(out, Number(process.env.BENCH_FLOOD_SECONDS ?? 600));
  // At scale: SQLite × 1 next to PostgreSQL × 1 and × 2 instances, measured alike (bench/server-postgres.ts).
  const { postgresServerBench } = await import('./server-postgres');
  await postgresServerBench(out);
}

// The crowd of browsers (issue 12): thousands of browsers running the real check against the real feed
// code on one virtual clock; then the request rate at 10 million users, from the server's cost above.
if (process.env.BENCH_SKIP_CROWD === '1') {
  out('crowd', 'skipped (BENCH_SKIP_CROWD=1)');
} else {
  const { crowdBench } = await import('./crowd');
  await crowdBench(out, observationCost, {
    runs: Number(process.env.BENCH_CROWD_RUNS ?? 20),
    days: Number(process.env.BENCH_CROWD_DAYS ?? 7),
  });
}
