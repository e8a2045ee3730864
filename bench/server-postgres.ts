// The feed server at scale, in one run: accepted reports/s and feed reads/s for one instance on SQLite,
// one on PostgreSQL and two on one PostgreSQL database, measured the same way. The servers run as
// `npm run feed` runs them; the load comes from bench/server-load.ts (autocannon), one load process per
// instance, all at once, and the answers are summed. After each report run the stored rows must equal
// the `202 {"counted":true}` answers. PostgreSQL is a private server started from Debian's binaries
// (server/test/pg-cluster.ts), with fsync on, on the same machine as everything else.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storedClients } from '../server/test/helpers';
import { type PgCluster, startPgCluster } from '../server/test/pg-cluster';
import { databaseOf } from '../server/test/pg-instances';
import {
  BENCH_TRUST,
  machineCpuSeconds as machineCpu,
  NO_LIMITS,
  type Proc,
  processCpuSeconds as processCpu,
  runLoad,
  startFeed,
} from './processes';
import type { LoadSpec } from './server-load';

type Out = (name: string, value: number | string, unit?: string) => void;

const REPORT_CONNECTIONS = 128;
const READ_CONNECTIONS = 64;
const SECONDS = Number(process.env.BENCH_SCALE_SECONDS ?? 8);

/** A feed server instance without rate limits, on `db` (a SQLite file or a postgres:// URL). */
const startInstance = (db: string): Promise<Proc> =>
  startFeed(db, ['--host', '127.0.0.1', ...NO_LIMITS, ...BENCH_TRUST]);

interface Figures {
  readonly reportsPerSecond: number;
  readonly reportsP99Ms: number;
  readonly readsPerSecond: number;
  readonly readsP99Ms: number;
  /** Accepted reports per CPU-second of the feed server processes: the cost, whatever the machine. */
  readonly reportsPerServerCpuSecond: number;
  /** Share of the whole machine's CPU in use during the report run. */
  readonly machineBusy: number;
  readonly rowsOk: boolean;
  readonly detail: string;
}

/** Reports then reads against `instances`, the connections split evenly between them. */
async function measure(instances: readonly Proc[], rows: () => Promise<number>): Promise<Figures> {
  const n = instances.length;
  const cpuBefore = instances.reduce((s, inst) => s + processCpu(inst.pid), 0);
  const machineBefore = machineCpu();
  const reports = await Promise.all(
    instances.map((inst, i) =>
      runLoad({
        mode: 'reports',
        url: inst.url,
        connections: REPORT_CONNECTIONS / n,
        warmupRequests: Math.round(8000 / n),
        seconds: SECONDS,
        prefix: `scale${n}i${i}${Date.now().toString(36)}`,
      }),
    ),
  );
  const serverCpu = instances.reduce((s, inst) => s + processCpu(inst.pid), 0) - cpuBefore;
  const machineAfter = machineCpu();
  const counted = reports.reduce((s, r) => s + (r.counted ?? 0), 0);
  const answered = counted + reports.reduce((s, r) => s + (r.countedWarmup ?? 0), 0);
  const reportSeconds = Math.max(...reports.map((r) => r.seconds));
  const stored = await rows();
  const get = (inst: Proc, seconds: number): LoadSpec => ({
    mode: 'get',
    url: inst.url,
    path: '/v1/feed',
    headers: { 'accept-encoding': 'gzip, deflate, br, zstd' },
    connections: READ_CONNECTIONS / n,
    seconds,
  });
  await Promise.all(instances.map((inst) => runLoad(get(inst, 2))));
  const reads = await Promise.all(instances.map((inst) => runLoad(get(inst, SECONDS))));
  const ok200 = reads.reduce((s, r) => s + (r.status['200'] ?? 0), 0);
  const failed = [...reports, ...reads].reduce((s, r) => s + r.errors + r.non2xx, 0);
  return {
    reportsPerSecond: counted / reportSeconds,
    reportsP99Ms: Math.max(...reports.map((r) => r.p99Ms)),
    // Warm-up included on both sides: the CPU was read around the whole report load.
    reportsPerServerCpuSecond: answered / serverCpu,
    machineBusy: (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total),
    readsPerSecond: ok200 / Math.max(...reads.map((r) => r.seconds)),
    readsP99Ms: Math.max(...reads.map((r) => r.p99Ms)),
    rowsOk: stored === answered && failed === 0,
    detail: `${answered} counted answers, ${stored} rows, ${failed} failed requests`,
  };
}

async function withInstances(dbs: readonly string[], rows: () => Promise<number>): Promise<Figures> {
  const instances = await Promise.all(dbs.map(startInstance));
  try {
    return await measure(instances, rows);
  } finally {
    for (const inst of instances) inst.child.kill('SIGTERM');
    await Promise.all(instances.map((inst) => inst.exited));
  }
}

function report(out: Out, name: string, f: Figures): void {
  const round = (x: number) => Math.round(x);
  out(`feed_scale_${name}_reports`, round(f.reportsPerSecond), 'reports/s');
  out(`feed_scale_${name}_reports_p99`, f.reportsP99Ms, 'ms');
  out(`feed_scale_${name}_reports_per_server_cpu_second`, round(f.reportsPerServerCpuSecond), 'reports');
  out(`feed_scale_${name}_reports_machine_cpu_busy`, round(100 * f.machineBusy), '%');
  out(`feed_scale_${name}_reads`, round(f.readsPerSecond), 'reads/s');
  out(`feed_scale_${name}_reads_p99`, f.readsP99Ms, 'ms');
  out(`feed_scale_${name}_rows_check`, `${f.rowsOk ? 'ok' : 'FAILED'} (${f.detail})`);
  if (!f.rowsOk) process.exitCode = 1;
}

/** The scale figures: SQLite × 1, PostgreSQL × 1, PostgreSQL × 2 (n/a without PostgreSQL's binaries). */
export async function postgresServerBench(out: Out): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'detour-bench-scale-'));
  let cluster: PgCluster | null = null;
  try {
    const sqlite = join(dir, 'feed.sqlite');
    report(out, 'sqlite_1', await withInstances([sqlite], async () => storedClients(sqlite).rows));
    try {
      cluster = await startPgCluster({ fsync: true });
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      for (const name of ['postgres_1', 'postgres_2']) out(`feed_scale_${name}_reports`, `n/a (${reason})`);
      return;
    }
    const pg = cluster;
    for (const n of [1, 2]) {
      const url = await pg.createDatabase();
      const rows = async () =>
        Number((await pg.query<{ n: string }>(databaseOf(url), 'SELECT COUNT(*) AS n FROM reports'))[0]?.n);
      report(out, `postgres_${n}`, await withInstances(Array(n).fill(url), rows));
    }
    out(
      'feed_scale_setup',
      `${SECONDS} s per run, ${REPORT_CONNECTIONS} report and ${READ_CONNECTIONS} read connections split ` +
        'over the instances; servers, load generators and PostgreSQL (fsync on) share this machine',
    );
  } finally {
    cluster?.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
