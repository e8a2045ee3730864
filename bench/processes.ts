// What the feed server benches share: starting a script as its own Node process and waiting for the
// port it logs, running one load process (bench/server-load.ts) and reading its result line, and the
// CPU time of a process and of the whole machine from /proc (Linux).

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { LoadResult, LoadSpec } from './server-load';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

export interface Proc {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly url: string;
  /** Every stdout line so far (the feed server logs one JSON object per line). */
  readonly lines: string[];
  readonly exited: Promise<number | null>;
}

/** Spawns `node --import tsx <script> ...args` and waits for the line that names its port. */
export function startNode(
  script: string,
  args: readonly string[],
  portOf: (line: string) => number | null,
): Promise<Proc> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise<Proc>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      lines.push(line);
      const port = portOf(line);
      if (port !== null && child.pid !== undefined) {
        resolve({ child, pid: child.pid, url: `http://127.0.0.1:${port}`, lines, exited });
      }
    });
    exited.then((code) => reject(new Error(`${script} exited (${code}) before listening`)));
  });
}

export function jsonLine(line: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The load connects from 127.0.0.1 and names each report's sender in X-Forwarded-For, as a proxy would. */
export const BENCH_TRUST = ['--trust-proxy', '127.0.0.1'] as const;
/** No rate limits (the report figures measure the write path, not the limiter). */
export const NO_LIMITS = ['--ip-limit', '0', '--net-limit', '0', '--client-limit', '0'] as const;

/** The feed server, started like `npm run feed -- --port 0 --db <db> ...` (a file or a postgres:// URL). */
export function startFeed(db: string, args: readonly string[]): Promise<Proc> {
  return startNode('server/main.ts', ['--port', '0', '--db', db, ...args], (line) => {
    const log = jsonLine(line);
    return log?.event === 'listening' && typeof log.port === 'number' ? log.port : null;
  });
}

export async function stop(proc: Proc, signal: NodeJS.Signals): Promise<number | null> {
  if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill(signal);
  return proc.exited;
}

/** Runs `script` in its own Node process with one JSON argument, and answers its last stdout line, parsed. */
export function runJsonScript<T>(script: string, arg: unknown, what: string): Promise<T> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(arg)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0 && last) resolve(JSON.parse(last) as T);
      else reject(new Error(`${what} exited ${code}`));
    });
  });
}

/** Runs one load in its own process (bench/server-load.ts) and answers its JSON result line. */
export function runLoad<T = LoadResult>(spec: LoadSpec): Promise<T> {
  return runJsonScript<T>('bench/server-load.ts', spec, `load (${spec.mode})`);
}

/** CPU time (user + system) a process has used so far, in seconds. */
export function processCpuSeconds(pid: number): number {
  // After the command name (which may hold spaces): utime and stime are the 12th and 13th fields.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** The whole machine's busy (not idle, not waiting for I/O) and total CPU time so far, in seconds. */
export function machineCpuSeconds(): { busy: number; total: number } {
  // cpu  user nice system idle iowait irq softirq steal ...
  const ticks = (readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '').trim().split(/\s+/);
  const n = ticks.slice(1, 9).map(Number);
  const total = n.reduce((a, b) => a + b, 0);
  return { busy: (total - (n[3] ?? 0) - (n[4] ?? 0)) / CLOCK_TICKS, total: total / CLOCK_TICKS };
}
