// The feed server bench: the server runs as its own process exactly as `npm run feed` starts it, the load
// comes from another process (bench/server-load.ts, autocannon), and the yardstick for reads is a bare
// node:http server (bench/bare-server.ts), also its own process. Three parts, one run:
//   1. reports: distinct valid reports, each from a network of its own, on a fresh database without rate limits; accepted reports/s and
//      latency, then the rows are counted (right after the last answer, and again after SIGKILL) and must
//      equal the `202 {"counted":true}` answers: an answer is only sent once its report is committed.
//      Then observations on the same server, measured the same way (each naming four services, from a
//      network of its own), and the server's CPU time per observation next to its CPU time per report;
//      the observation log's count must equal their `counted: true` answers too.
//   2. reads: GET /v1/feed (gzip, like a browser) on that same server, then the same bytes from the bare
//      server, measured the same way; the ratio.
//   3. flood: a server trusting the load's proxy address, with its default rate limits, flooded for BENCH_FLOOD_SECONDS
//      from a few hot addresses (soon answered 429) and a stream of new ones (which fill the limiter's
//      bounded key table); its RSS before, at the end, and its peak (VmHWM).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { DEFAULTS } from '../server/server';
import { storedClients } from '../server/test/helpers';
import {
  BENCH_TRUST,
  jsonLine,
  NO_LIMITS,
  type Proc,
  runLoad,
  startFeed,
  startNode,
  stop,
} from './processes';
import type { LoadResult, ReadResult } from './server-load';

export type Out = (name: string, value: number | string, unit?: string) => void;

/** What an observation costs the server next to a report, as measured (the crowd's sizing reads it). */
export interface ObservationCost {
  readonly observationsPerCpuSecond: number;
  readonly reportsPerCpuSecond: number;
  /** Server CPU time of an observation over that of a report. */
  readonly vsReport: number;
}

const REPORT_CONNECTIONS = 128;
const READ_CONNECTIONS = 64;
const FLOOD_CONNECTIONS = 64;
const MEASURE_SECONDS = 10;
const READ_ROUNDS = 5;

function startBare(document: string): Promise<Proc> {
  return startNode('bench/bare-server.ts', [document], (line) => {
    const port = jsonLine(line)?.port;
    return typeof port === 'number' ? port : null;
  });
}

/** VmRSS and VmHWM (peak RSS) of a process, in MB. */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** Report rows in the feed's SQLite file, read next to the running server (WAL allows it). */
const countRows = (db: string): number => storedClients(db).rows;

/** Observations counted in the feed's SQLite file (its per-minute log), read next to the running server. */
function countObservations(db: string): number {
  const file = new Database(db, { readonly: true });
  try {
    return (
      file.prepare('SELECT COALESCE(SUM(observations), 0) AS n FROM observe_minutes').get() as { n: number }
    ).n;
  } finally {
    file.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (x: number, d = 0) => Number(x.toFixed(d));
const share = (cpuSeconds: number, seconds: number) => `${round((100 * cpuSeconds) / seconds)} % of a core`;
// Other work on a shared machine slows the server and the load down: it is measured and printed too.
const OTHERS = `(processes besides the server and the load, on ${availableParallelism()} cores)`;

/** GET /v1/feed as a browser asks for it (gzip) from each server in turn: 2 s each to warm up, then
 * READ_ROUNDS rounds of 2 s each, so that a busy moment of this (shared) machine hits all of them alike. */
function compareReads(targets: readonly { proc: Proc; path: string }[]): Promise<ReadResult[]> {
  return runLoad<ReadResult[]>({
    mode: 'compare-get',
    targets: targets.map(({ proc, path }) => ({ url: `${proc.url}${path}`, pid: proc.pid })),
    // What Chromium sends from an extension's fetch.
    headers: { 'accept-encoding': 'gzip, deflate, br, zstd' },
    connections: READ_CONNECTIONS,
    warmupSeconds: 2,
    rounds: READ_ROUNDS,
    secondsPerRound: MEASURE_SECONDS / READ_ROUNDS,
  });
}

async function reportsAndReads(dir: string, out: Out): Promise<ObservationCost> {
  const db = join(dir, 'reports.sqlite');
  const feed = await startFeed(db, [...NO_LIMITS, ...BENCH_TRUST]);
  let bare: Proc | null = null;
  try {
    const load = await runLoad({
      mode: 'reports',
      url: feed.url,
      connections: REPORT_CONNECTIONS,
      warmupRequests: 20_000,
      seconds: MEASURE_SECONDS,
      prefix: 'bench',
      pid: feed.pid,
    });
    const answered = (load.countedWarmup ?? 0) + (load.counted ?? 0);
    const rowsLive = countRows(db);
    printPosts('reports', 'reports', load, out);
    const observed = await observationsNextToReports(feed, db, load, out);

    const doc = Buffer.from(await (await fetch(`${feed.url}/v1/feed`)).arrayBuffer());
    const docFile = join(dir, 'feed.json');
    writeFileSync(docFile, doc);
    out('feed_document', `${doc.length} bytes, ${gzipSync(doc).length} gzipped`);
    bare = await startBare(docFile);
    const [reads, bareReads] = await compareReads([
      { proc: feed, path: '/v1/feed' },
      { proc: bare, path: '/' },
    ]);
    if (!reads || !bareReads) throw new Error('compare-get answered too few results');
    const rate = (r: ReadResult) => r.ok / r.seconds;
    const perCpu = (r: ReadResult) => r.ok / r.cpuSeconds;
    const cpu = (r: ReadResult) => share(r.cpuSeconds, r.seconds);
    out('feed_reads', round(rate(reads)), 'reads/s');
    out('feed_reads_p99', reads.p99Ms, 'ms');
    out('feed_reads_non_200', reads.other, 'answers');
    out('feed_reads_server_cpu', cpu(reads));
    out('bare_node_http_reads', round(rate(bareReads)), 'reads/s');
    out('bare_node_http_reads_server_cpu', cpu(bareReads));
    out(
      'feed_reads_cpu_of_other_processes',
      share(reads.otherCpuSeconds + bareReads.otherCpuSeconds, reads.seconds + bareReads.seconds),
      OTHERS,
    );
    out('feed_reads_vs_bare_node_http', round(rate(reads) / rate(bareReads), 2), 'x');
    // The cost of a read, whatever the load generator (one process, on the same two cores) manages.
    out('feed_reads_per_cpu_second', round(perCpu(reads)), 'reads');
    out('bare_node_http_reads_per_cpu_second', round(perCpu(bareReads)), 'reads');
    out('feed_reads_vs_bare_node_http_per_cpu', round(perCpu(reads) / perCpu(bareReads), 2), 'x');

    await stop(feed, 'SIGKILL');
    const rowsAfterKill = countRows(db);
    const ok = rowsLive === answered && rowsAfterKill === answered && load.errors === 0;
    out(
      'feed_reports_rows_check',
      `${ok ? 'ok' : 'FAILED'} (${answered} answers "counted": true; ${rowsLive} rows right after the ` +
        `last answer, ${rowsAfterKill} after SIGKILL)`,
    );
    const observedAfterKill = countObservations(db);
    const observedOk = observed.live === observed.answered && observedAfterKill === observed.answered;
    out(
      'feed_observations_rows_check',
      `${observedOk ? 'ok' : 'FAILED'} (${observed.answered} answers "counted": true; ${observed.live} ` +
        `counted in the log right after the last answer, ${observedAfterKill} after SIGKILL)`,
    );
    if (!ok || !observedOk) process.exitCode = 1;
    return observed.cost;
  } finally {
    await stop(feed, 'SIGKILL');
    if (bare) await stop(bare, 'SIGTERM');
  }
}

/** The figures of one posts load: `feed_<kind>_accepted`, latency, CPU, and the run. */
function printPosts(kind: 'reports' | 'observations', what: string, load: LoadResult, out: Out): void {
  out(`feed_${kind}_accepted`, round((load.counted ?? 0) / load.seconds), `${kind}/s`);
  out(`feed_${kind}_p50`, load.p50Ms, 'ms');
  out(`feed_${kind}_p99`, load.p99Ms, 'ms');
  out(`feed_${kind}_non_2xx`, load.non2xx + load.errors, 'answers');
  out(`feed_${kind}_server_cpu`, share(load.serverCpuSeconds ?? 0, load.seconds));
  out(`feed_${kind}_cpu_of_other_processes`, share(load.otherCpuSeconds ?? 0, load.seconds), OTHERS);
  out(
    `feed_${kind}_run`,
    `${load.counted} ${what} in ${load.seconds.toFixed(1)} s after a warm-up of ${load.countedWarmup}, ` +
      `${REPORT_CONNECTIONS} connections`,
  );
}

/**
 * Observations on the server that just took the reports, measured alike: accepted/s, latency, and the
 * server's CPU time per accepted observation next to its CPU time per report.
 */
async function observationsNextToReports(
  feed: Proc,
  db: string,
  reports: LoadResult,
  out: Out,
): Promise<{ answered: number; live: number; cost: ObservationCost }> {
  const load = await runLoad({
    mode: 'observations',
    url: feed.url,
    connections: REPORT_CONNECTIONS,
    warmupRequests: 20_000,
    seconds: MEASURE_SECONDS,
    prefix: 'bench-observe',
    pid: feed.pid,
  });
  const live = countObservations(db);
  const perCpu = (r: LoadResult) => (r.counted ?? 0) / Math.max(r.serverCpuSeconds ?? 0, 1e-9);
  printPosts('observations', 'observations of 4 services', load, out);
  const cost: ObservationCost = {
    observationsPerCpuSecond: perCpu(load),
    reportsPerCpuSecond: perCpu(reports),
    vsReport: perCpu(reports) / perCpu(load),
  };
  out('feed_reports_per_cpu_second', round(cost.reportsPerCpuSecond), 'reports');
  out('feed_observations_per_cpu_second', round(cost.observationsPerCpuSecond), 'observations');
  out('feed_observation_cost_vs_report', round(cost.vsReport, 2), 'x (server CPU time each)');
  out(
    'feed_observations_vs_reports_accepted',
    round((load.counted ?? 0) / load.seconds / ((reports.counted ?? 0) / reports.seconds), 2),
    'x',
  );
  return { answered: (load.countedWarmup ?? 0) + (load.counted ?? 0), live, cost };
}

async function flood(dir: string, seconds: number, out: Out): Promise<void> {
  const feed = await startFeed(join(dir, 'flood.sqlite'), [...BENCH_TRUST]);
  try {
    await sleep(1000);
    const before = memory(feed.pid);
    let sampledPeak = before.rss;
    const sampler = setInterval(() => {
      sampledPeak = Math.max(sampledPeak, memory(feed.pid).rss);
    }, 1000);
    let load: LoadResult;
    try {
      load = await runLoad({
        mode: 'flood',
        url: feed.url,
        connections: FLOOD_CONNECTIONS,
        seconds,
        hotAddresses: 256,
        newAddressShare: 0.05,
      });
    } finally {
      clearInterval(sampler);
    }
    const end = memory(feed.pid);
    const limited = load.status['429'] ?? 0;
    out('feed_flood_duration', round(load.seconds), 's');
    out('feed_flood_rate', round(load.answers / load.seconds), 'requests/s');
    out(
      'feed_flood_requests',
      `${load.answers} answers: ${load.status['202'] ?? 0} accepted, ${limited} rate-limited ` +
        `(${round((100 * limited) / Math.max(1, load.answers))} %), ${load.answers - limited - (load.status['202'] ?? 0)} other; ` +
        `${load.errors} errors`,
    );
    out('feed_flood_rss_before', round(before.rss, 1), 'MB');
    out('feed_flood_rss_end', round(end.rss, 1), 'MB');
    out('feed_flood_rss_peak', round(Math.max(end.peak, sampledPeak), 1), 'MB');
    await stop(feed, 'SIGTERM');
    const keys = feed.lines
      .map(jsonLine)
      .filter((log) => log?.event === 'stats')
      .at(-1)?.rateLimitKeys;
    out(
      'feed_flood_rate_limit_keys',
      typeof keys === 'number'
        ? `${keys} keys (bound ${3 * DEFAULTS.rateLimitKeys}: addresses, networks and client ids)`
        : 'n/a (no stats line: flood under 60 s)',
    );
  } finally {
    await stop(feed, 'SIGKILL');
  }
}

/** The feed server figures; the flood lasts `floodSeconds`. Answers what an observation cost. */
export async function serverBench(out: Out, floodSeconds: number): Promise<ObservationCost> {
  const dir = mkdtempSync(join(tmpdir(), 'detour-bench-'));
  try {
    const cost = await reportsAndReads(dir, out);
    await flood(dir, floodSeconds, out);
    return cost;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
