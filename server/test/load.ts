// Report load for the SIGTERM and crash tests: keep-alive clients that each post reports with a fresh
// client id as fast as the server answers, and remember exactly which reports were acknowledged. Every
// report comes from a network of its own (an X-Forwarded-For address in a fresh /24, for a server that
// trusts the loopback proxy: TRUST_LOOPBACK), so each counted report adds one to its bucket and the
// stored counts can be checked against the acknowledged reports.

import { Agent, request } from 'node:http';
import { clientId } from './helpers';

export interface LoadResult {
  /** Client ids answered 202 {"counted": true}. */
  readonly acked: string[];
  /** Reports sent (answered or not). */
  readonly sent: number;
  /** Answers by status and body, e.g. "202 {"counted":true}" or "503 draining". */
  readonly answers: Map<string, number>;
  /** Request failures by error code (ECONNREFUSED, ECONNRESET, ...). */
  readonly errors: Map<string, number>;
}

export interface Load {
  /** Stops every client after its current request and resolves with what happened. */
  stop(): Promise<LoadResult>;
  /** What happened so far. */
  readonly result: LoadResult;
}

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** Server arguments that make the load's X-Forwarded-For addresses count (it connects from 127.0.0.1). */
export const TRUST_LOOPBACK = ['--trust-proxy', '127.0.0.1'] as const;

let networks = 0;
/** An address in a /24 no other report of this process used (1.0.0.x … 254.255.255.x). */
export function freshNetworkAddress(): string {
  const n = networks++;
  return `${1 + ((n >> 16) % 254)}.${(n >> 8) & 255}.${n & 255}.7`;
}

function post(url: string, agent: Agent, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/v1/reports`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'x-forwarded-for': freshNetworkAddress(),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** The short form of an answer: "202 counted", "202 duplicate", "503 draining", "429 rate_limited". */
function describeAnswer({ status, body }: Answer): string {
  try {
    const json = JSON.parse(body) as { counted?: boolean; reason?: string; error?: string };
    if (json.counted === true) return `${status} counted`;
    return `${status} ${json.reason ?? json.error ?? body.slice(0, 40)}`;
  } catch {
    return `${status} ${body.slice(0, 40)}`;
  }
}

/** Starts `clients` keep-alive clients posting `service` reports with ids `<prefix>_<client>_<n>`. */
export function startLoad(url: string, options: { clients: number; prefix: string; service?: string }): Load {
  const result = { acked: [] as string[], sent: 0, answers: new Map<string, number>(), errors: new Map() };
  let stopped = false;
  const agents: Agent[] = [];
  const worker = async (w: number): Promise<void> => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(agent);
    for (let n = 0; !stopped; n++) {
      const client = clientId(`${options.prefix}_${w}_${n}`);
      const body = JSON.stringify({ service: options.service ?? 'whatsapp', problem: 'messages', client });
      result.sent++;
      try {
        const answer = await post(url, agent, body);
        const said = describeAnswer(answer);
        bump(result.answers, said);
        if (said === '202 counted') result.acked.push(client);
      } catch (error) {
        bump(result.errors, (error as NodeJS.ErrnoException).code ?? String(error));
        // Not a busy loop of refused connections once the server is gone.
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  };
  const workers = Array.from({ length: options.clients }, (_, w) => worker(w));
  return {
    result,
    async stop() {
      stopped = true;
      await Promise.all(workers);
      for (const agent of agents) agent.destroy();
      return result;
    },
  };
}

/** Sums a map's counts. */
export function sum(map: ReadonlyMap<string, number>): number {
  let n = 0;
  for (const v of map.values()) n += v;
  return n;
}
