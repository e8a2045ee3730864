// The load generator of the feed server bench (bench/server.ts), run as its own process so the load
// doesn't share an event loop with the server: `node --import tsx bench/server-load.ts '<LoadSpec JSON>'`.
// Prints one JSON line (LoadResult) on stdout. Three kinds of load, all on keep-alive connections:
//   reports: valid POST /v1/reports, every one from a client id never used before (so every one counts)
//            and from a network of its own (X-Forwarded-For, for a server trusting 127.0.0.1);
//            a warm-up of a fixed number of requests, then `seconds` worth at the warm-up's rate, both
//            counted to the last answer (no request is cut off, so the answers can be matched to rows).
//   observations: the same for POST /v1/observations, each naming four services, down or up.
//   flood:   POST /v1/reports with a random X-Forwarded-For from a few hot addresses plus a stream of new
//            ones, random client ids, for `seconds` (the server trusts 127.0.0.1 as its proxy, default limits).
//   get:     GET `path` with `headers` for `seconds`.
//   compare-get: GET with `headers` from each target in turn, `rounds` times; counts the 200s and the CPU
//            time each server used meanwhile (from /proc). Prints ReadResult[].

import autocannon from 'autocannon';
import { SERVICE_IDS } from '../src/core/services';
import { PROBLEMS } from '../src/shared/feed';
import { machineCpuSeconds, processCpuSeconds } from './processes';

/** Distinct valid posts: reports or observations. */
interface PostsSpec {
  readonly url: string;
  readonly connections: number;
  readonly warmupRequests: number;
  readonly seconds: number;
  /** Makes this run's client ids distinct from any other run's. */
  readonly prefix: string;
  /** The server's process: its CPU time during the measured run is reported. */
  readonly pid?: number;
}

export type LoadSpec =
  | (PostsSpec & { readonly mode: 'reports' })
  | (PostsSpec & { readonly mode: 'observations' })
  | {
      readonly mode: 'flood';
      readonly url: string;
      readonly connections: number;
      readonly seconds: number;
      /** How many addresses send most of the flood (each soon over its limit). */
      readonly hotAddresses: number;
      /** Share of requests from an address never seen before (fills the limiter's key table). */
      readonly newAddressShare: number;
    }
  | {
      readonly mode: 'get';
      readonly url: string;
      readonly path: string;
      readonly headers: Readonly<Record<string, string>>;
      readonly connections: number;
      readonly seconds: number;
    }
  | {
      readonly mode: 'compare-get';
      /** Servers measured in turn, round after round, so a busy moment of the machine hits all alike. */
      readonly targets: readonly { readonly url: string; readonly pid: number }[];
      readonly headers: Readonly<Record<string, string>>;
      readonly connections: number;
      readonly warmupSeconds: number;
      readonly rounds: number;
      readonly secondsPerRound: number;
    };

/** compare-get mode: one per target, summed over the rounds. */
export interface ReadResult {
  readonly seconds: number;
  /** 200 answers. */
  readonly ok: number;
  readonly other: number;
  /** CPU time (user + system) the server used meanwhile. */
  readonly cpuSeconds: number;
  /** CPU time other processes than the server and this load used meanwhile (a shared machine). */
  readonly otherCpuSeconds: number;
  /** The worst round's p99. */
  readonly p99Ms: number;
}

export interface LoadResult {
  /** From the first request to the last answer of the measured run. */
  readonly seconds: number;
  readonly answers: number;
  /** Answers per HTTP status. */
  readonly status: Readonly<Record<string, number>>;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** reports and observations modes: `202 {"counted":true}` answers, warm-up and measured run (every one should be stored). */
  readonly countedWarmup?: number;
  readonly counted?: number;
  /** reports and observations modes with `pid`: CPU time of the server, and of every other process than it and this load. */
  readonly serverCpuSeconds?: number;
  readonly otherCpuSeconds?: number;
}

const COUNTRIES = ['GB', 'US', 'IN', 'BR', 'DE', 'IT', 'FR', 'ES', 'NG', 'ID', 'MX', 'TR'] as const;
const COUNTED = JSON.stringify({ counted: true });
const JSON_HEADERS = { 'content-type': 'application/json' };

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;

/** A valid report body; `n` varies service, problem and country, `client` must be 16–64 of A-Za-z0-9_-. */
function reportBody(client: string, n: number): string {
  const r = Math.floor(Math.random() * 1e6) + n;
  return JSON.stringify({
    service: pick(SERVICE_IDS, r),
    problem: pick(PROBLEMS, r >> 3),
    country: pick(COUNTRIES, r >> 6),
    client,
  });
}

/** A valid observation body, as the extension sends it: four of the services, each down or up. */
function observationBody(client: string, n: number): string {
  const r = Math.floor(Math.random() * 1e6) + n;
  const services = Object.fromEntries(
    [0, 1, 2, 3].map((k) => [pick(SERVICE_IDS, r + 2 * k), (r >> k) & 1 ? 'down' : 'up']),
  );
  return JSON.stringify({ client, country: pick(COUNTRIES, r >> 6), services });
}

const BODIES = { reports: reportBody, observations: observationBody } as const;

function ipv4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

const randomPrefix = (): string => Math.random().toString(36).slice(2, 10).padEnd(8, '0');

function summarize(result: autocannon.Result, seconds: number): LoadResult {
  const status: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) status[code] = stat.count ?? 0;
  return {
    seconds,
    answers: Object.values(status).reduce((a, b) => a + b, 0),
    status,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

/**
 * A report's sender, for a server that trusts the loopback proxy (BENCH_TRUST in processes.ts): one
 * network (a /24) per report of this load, the most work a report can cost the server (a tally row of
 * its own), as in a real outage where reports come from as many networks as people.
 */
let networks = Math.floor(Math.random() * 2 ** 16) * 256;
const senderAddress = (): string => ipv4(0x01000000 + (++networks % 0xdf000000) * 256 + 7);

/**
 * Posts `amount` distinct valid reports (or observations); answers how many were counted and when the
 * last answer came.
 */
async function postDistinct(
  kind: keyof typeof BODIES,
  url: string,
  connections: number,
  amount: number,
  prefix: string,
): Promise<{ result: autocannon.Result; counted: number; seconds: number; lateRate: number }> {
  let n = 0;
  let counted = 0;
  const started = performance.now();
  let last = started;
  let half = started;
  const result = await autocannon({
    url: `${url}/v1/${kind}`,
    connections,
    amount,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          n++;
          return {
            ...req,
            headers: { ...JSON_HEADERS, 'x-forwarded-for': senderAddress() },
            body: BODIES[kind](`${prefix}-${n.toString(36).padStart(10, '0')}`, n),
          };
        },
        onResponse: (status, body) => {
          last = performance.now();
          if (status === 202 && body === COUNTED) counted++;
          if (counted === Math.floor(amount / 2)) half = last;
        },
      },
    ],
  });
  // The rate over the second half: past the JIT's warm-up, to size the measured run.
  const lateRate = (counted - Math.floor(amount / 2)) / Math.max((last - half) / 1000, 0.001);
  return { result, counted, seconds: (last - started) / 1000, lateRate };
}

async function posts(spec: PostsSpec & { readonly mode: keyof typeof BODIES }): Promise<LoadResult> {
  const warm = await postDistinct(
    spec.mode,
    spec.url,
    spec.connections,
    spec.warmupRequests,
    `${spec.prefix}w`,
  );
  const amount = Math.max(spec.connections * 10, Math.round(warm.lateRate * spec.seconds));
  const meter = spec.pid === undefined ? null : cpuMeter([spec.pid]);
  const main = await postDistinct(spec.mode, spec.url, spec.connections, amount, `${spec.prefix}m`);
  const cpu = meter?.();
  return {
    ...summarize(main.result, main.seconds),
    countedWarmup: warm.counted,
    counted: main.counted,
    ...(cpu ? { serverCpuSeconds: cpu.pids[0], otherCpuSeconds: cpu.others } : {}),
  };
}

async function flood(spec: Extract<LoadSpec, { mode: 'flood' }>): Promise<LoadResult> {
  const prefix = randomPrefix();
  let n = 0;
  let fresh = Math.floor(Math.random() * 2 ** 31);
  const started = performance.now();
  const result = await autocannon({
    url: `${spec.url}/v1/reports`,
    connections: spec.connections,
    duration: spec.seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          n++;
          const address =
            Math.random() < spec.newAddressShare
              ? ipv4(++fresh)
              : ipv4(0x0a000000 + Math.floor(Math.random() * spec.hotAddresses));
          return {
            ...req,
            headers: { ...JSON_HEADERS, 'x-forwarded-for': address },
            body: reportBody(`${prefix}-${n.toString(36).padStart(10, '0')}`, n),
          };
        },
      },
    ],
  });
  return summarize(result, (performance.now() - started) / 1000);
}

async function get(spec: Extract<LoadSpec, { mode: 'get' }>): Promise<LoadResult> {
  const result = await autocannon({
    url: `${spec.url}${spec.path}`,
    connections: spec.connections,
    headers: { ...spec.headers },
    duration: spec.seconds,
  });
  return summarize(result, result.duration);
}

function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** Starts counting: the function answers, since then, the CPU time of each of `pids` and of all others
 * (every process of the machine but those and this one). */
function cpuMeter(pids: readonly number[]): () => { pids: number[]; others: number } {
  const busy = machineCpuSeconds().busy;
  const own = ownCpuSeconds();
  const start = pids.map(processCpuSeconds);
  return () => {
    const used = pids.map((pid, i) => processCpuSeconds(pid) - (start[i] ?? 0));
    const mine = ownCpuSeconds() - own;
    const others = machineCpuSeconds().busy - busy - mine - used.reduce((a, b) => a + b, 0);
    return { pids: used, others: Math.max(0, others) };
  };
}

async function compareGet(spec: Extract<LoadSpec, { mode: 'compare-get' }>): Promise<ReadResult[]> {
  const once = (url: string, duration: number) =>
    autocannon({ url, connections: spec.connections, headers: { ...spec.headers }, duration });
  for (const target of spec.targets) await once(target.url, spec.warmupSeconds);
  const sums: { -readonly [K in keyof ReadResult]: number }[] = spec.targets.map(() => ({
    seconds: 0,
    ok: 0,
    other: 0,
    cpuSeconds: 0,
    otherCpuSeconds: 0,
    p99Ms: 0,
  }));
  for (let round = 0; round < spec.rounds; round++) {
    for (const [i, target] of spec.targets.entries()) {
      const meter = cpuMeter(spec.targets.map((t) => t.pid));
      const result = await once(target.url, spec.secondsPerRound);
      const cpu = meter();
      const sum = sums[i];
      if (!sum) continue;
      sum.cpuSeconds += cpu.pids[i] ?? 0;
      sum.otherCpuSeconds += cpu.others;
      sum.seconds += result.duration;
      sum.ok += result.statusCodeStats?.['200']?.count ?? 0;
      sum.other += result.non2xx + result.errors;
      sum.p99Ms = Math.max(sum.p99Ms, result.latency.p99);
    }
  }
  return sums;
}

const spec = JSON.parse(process.argv[2] ?? '') as LoadSpec;
const output =
  spec.mode === 'reports' || spec.mode === 'observations'
    ? await posts(spec)
    : spec.mode === 'flood'
      ? await flood(spec)
      : spec.mode === 'get'
        ? await get(spec)
        : await compareGet(spec);
process.stdout.write(`${JSON.stringify(output)}\n`);
