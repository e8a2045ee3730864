// Informal load test: starts the feed server as its own process (no rate limits, fresh database) and
// posts distinct reports from `--concurrency` keep-alive connections for `--seconds`, then prints the
// accepted reports per second. `npx tsx server/tools/load.ts --seconds 10 --concurrency 64`

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SERVICE_IDS } from '../../src/core/catalog';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '64' },
    'batch-max': { type: 'string', default: '256' },
    'batch-delay-ms': { type: 'string', default: '5' },
  },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);

const dir = mkdtempSync(join(tmpdir(), 'detour-load-'));
const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    'server/main.ts',
    '--port',
    '0',
    '--db',
    join(dir, 'feed.sqlite'),
    '--ip-limit',
    '0',
    '--client-limit',
    '0',
    '--batch-max',
    values['batch-max'],
    '--batch-delay-ms',
    values['batch-delay-ms'],
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const port = await new Promise<number>((resolve, reject) => {
  let buf = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buf += chunk.toString();
    const m = /"event":"listening","port":(\d+)/.exec(buf);
    if (m) resolve(Number(m[1]));
  });
  child.once('exit', () => reject(new Error('server exited')));
});

const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const post = (body: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        port,
        host: '127.0.0.1',
        method: 'POST',
        path: '/v1/reports',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });

let accepted = 0;
let other = 0;
const latencies: number[] = [];
const end = Date.now() + seconds * 1000;
const worker = async (): Promise<void> => {
  while (Date.now() < end) {
    const body = JSON.stringify({
      service: SERVICE_IDS[Math.floor(Math.random() * SERVICE_IDS.length)],
      problem: 'messages',
      country: 'GB',
      client: randomBytes(12).toString('base64url'),
    });
    const t = performance.now();
    const status = await post(body);
    latencies.push(performance.now() - t);
    if (status === 202) accepted++;
    else other++;
  }
};
const started = Date.now();
await Promise.all(Array.from({ length: concurrency }, worker));
const elapsed = (Date.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number): string => (latencies[Math.floor((latencies.length - 1) * p)] ?? 0).toFixed(1);
console.log(
  `accepted: ${Math.round(accepted / elapsed)} reports/s (${accepted} in ${elapsed.toFixed(1)} s, ${other} other), ` +
    `latency p50 ${pct(0.5)} ms p99 ${pct(0.99)} ms, concurrency ${concurrency}`,
);
agent.destroy();
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));
rmSync(dir, { recursive: true, force: true });
