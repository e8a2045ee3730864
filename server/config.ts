// The feed server's command line and environment (contract §1):
//   npm run feed -- --port N --db PATH [--trust-proxy]
// env fallbacks: PORT, FEED_DB, DATABASE_URL (PostgreSQL), TRUST_PROXY=1. Flags win over env.

import { parseArgs } from 'node:util';
import { DEFAULTS, type ServerOptions } from './server';

export const USAGE = `usage: npm run feed -- [options]
  --port N               port to listen on (env PORT; default ${DEFAULTS.port}; 0 = any free port)
  --host ADDR            address to listen on (env HOST; default all interfaces)
  --db PATH|URL          SQLite file, created with its folder, or a postgres:// URL for several instances
                         (env FEED_DB, else DATABASE_URL; default ./data/feed.sqlite)
  --pg-pool N            PostgreSQL: most connections per instance (env FEED_PG_POOL; default 10)
  --trust-proxy          client address = first X-Forwarded-For entry (env TRUST_PROXY=1)
  --ip-limit N           reports per minute per address, 0 = off (env FEED_IP_LIMIT; default ${DEFAULTS.ipPerMinute})
  --client-limit N       reports per minute per client id, 0 = off (env FEED_CLIENT_LIMIT; default ${DEFAULTS.clientPerMinute})
  --feed-refresh-ms N    rebuild the cached feed at most this often (default ${DEFAULTS.feedRefreshMs})
  --batch-max N          commit a batch at this many reports (default ${DEFAULTS.batchMaxItems})
  --batch-delay-ms N     or this long after its first report (default ${DEFAULTS.batchMaxDelayMs})`;

export type Config = Required<Pick<ServerOptions, 'port' | 'db' | 'trustProxy'>> &
  Pick<
    ServerOptions,
    | 'host'
    | 'ipPerMinute'
    | 'clientPerMinute'
    | 'feedRefreshMs'
    | 'batchMaxItems'
    | 'batchMaxDelayMs'
    | 'poolSize'
  >;

function integer(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, not ${JSON.stringify(raw)}`);
  }
  return n;
}

function truthy(raw: string | undefined): boolean {
  return raw !== undefined && /^(1|true|yes|on)$/i.test(raw.trim());
}

/** Parses argv (without node and the script) and env; throws an Error with a one-line message on bad input. */
export function parseConfig(argv: readonly string[], env: NodeJS.ProcessEnv): Config {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      'trust-proxy': { type: 'boolean' },
      'ip-limit': { type: 'string' },
      'client-limit': { type: 'string' },
      'feed-refresh-ms': { type: 'string' },
      'batch-max': { type: 'string' },
      'batch-delay-ms': { type: 'string' },
      'pg-pool': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) throw new Error('help');
  const db =
    values.db ?? (env.FEED_DB || undefined) ?? (env.DATABASE_URL || undefined) ?? './data/feed.sqlite';
  return {
    port: integer('--port', values.port ?? env.PORT, 0, 65535) ?? DEFAULTS.port,
    host: values.host ?? (env.HOST || undefined),
    db,
    trustProxy: values['trust-proxy'] ?? truthy(env.TRUST_PROXY),
    ipPerMinute: integer('--ip-limit', values['ip-limit'] ?? env.FEED_IP_LIMIT, 0, 1e9),
    clientPerMinute: integer('--client-limit', values['client-limit'] ?? env.FEED_CLIENT_LIMIT, 0, 1e9),
    feedRefreshMs: integer('--feed-refresh-ms', values['feed-refresh-ms'], 0, 3_600_000),
    batchMaxItems: integer('--batch-max', values['batch-max'], 1, 100_000),
    batchMaxDelayMs: integer('--batch-delay-ms', values['batch-delay-ms'], 0, 10_000),
    poolSize: integer('--pg-pool', values['pg-pool'] ?? env.FEED_PG_POOL, 1, 1000),
  };
}
