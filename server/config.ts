// The feed server's command line and environment (docs/contract.md, commands):
//   npm run feed -- --port N --db PATH [--trust-proxy VALUE]
// env fallbacks: PORT, FEED_DB, DATABASE_URL (PostgreSQL), TRUST_PROXY, FEED_*. Flags win over env.

import { parseArgs } from 'node:util';
import { DEFAULTS, type ServerOptions } from './server';
import { parseTrustProxy, TRUST_NONE } from './trust-proxy';

export const USAGE = `usage: npm run feed -- [options]
  --port N               port to listen on (env PORT; default ${DEFAULTS.port}; 0 = any free port)
  --host ADDR            address to listen on (env HOST; default all interfaces)
  --db PATH|URL          SQLite file, created with its folder, or a postgres:// URL for several instances
                         (env FEED_DB, else DATABASE_URL; default ./data/feed.sqlite)
  --pg-pool N            PostgreSQL: most connections per instance (env FEED_PG_POOL; default 10)
  --trust-proxy VALUE    behind proxies that append to X-Forwarded-For (env TRUST_PROXY): a hop count
                         (1 = one proxy in front) or a comma-separated list of proxy addresses and
                         CIDRs (10.0.0.0/8,127.0.0.1); the client address is then the rightmost entry no
                         trusted proxy added. Default: none, the socket's address
  --ip-limit N           reports per minute per address (IPv6 /64), 0 = off (env FEED_IP_LIMIT; default ${DEFAULTS.ipPerMinute})
  --net-limit N          reports per minute per network (IPv4 /24, IPv6 /48), 0 = off (env FEED_NET_LIMIT; default ${DEFAULTS.netPerMinute})
  --client-limit N       reports per minute per client id, 0 = off (env FEED_CLIENT_LIMIT; default ${DEFAULTS.clientPerMinute})
                         (observations have buckets of their own at the same three rates)
  --observe-target N     observations per minute wanted across all instances: the feed's sample keeps
                         them near it (env FEED_OBSERVE_TARGET; default ${DEFAULTS.observeTarget})
  --observe-spread N     seconds browsers spread a change's observation over, at random (env
                         FEED_OBSERVE_SPREAD; default ${DEFAULTS.observeSpreadSeconds}; at most 3600)
  --feed-refresh-ms N    rebuild the cached feed at most this often (default ${DEFAULTS.feedRefreshMs})
  --batch-max N          commit a batch at this many reports (default ${DEFAULTS.batchMaxItems})
  --batch-delay-ms N     or this long after its first report (default ${DEFAULTS.batchMaxDelayMs})`;

export type Config = Required<Pick<ServerOptions, 'port' | 'db' | 'trustProxy'>> &
  Pick<
    ServerOptions,
    | 'host'
    | 'ipPerMinute'
    | 'netPerMinute'
    | 'clientPerMinute'
    | 'observeTarget'
    | 'observeSpreadSeconds'
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

function trustProxy(raw: string | undefined): NonNullable<ServerOptions['trustProxy']> {
  if (raw === undefined) return TRUST_NONE;
  if (/^(true|yes|on)$/i.test(raw.trim())) {
    // The old boolean form believed the leftmost entry, which any client writes: say what to use now.
    throw new Error(
      `--trust-proxy takes a hop count or proxy addresses now, not ${JSON.stringify(raw)}: use 1 for one proxy in front`,
    );
  }
  return parseTrustProxy(raw);
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
      'trust-proxy': { type: 'string' },
      'ip-limit': { type: 'string' },
      'net-limit': { type: 'string' },
      'client-limit': { type: 'string' },
      'observe-target': { type: 'string' },
      'observe-spread': { type: 'string' },
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
    trustProxy: trustProxy(values['trust-proxy'] ?? (env.TRUST_PROXY || undefined)),
    ipPerMinute: integer('--ip-limit', values['ip-limit'] ?? env.FEED_IP_LIMIT, 0, 1e9),
    netPerMinute: integer('--net-limit', values['net-limit'] ?? env.FEED_NET_LIMIT, 0, 1e9),
    clientPerMinute: integer('--client-limit', values['client-limit'] ?? env.FEED_CLIENT_LIMIT, 0, 1e9),
    observeTarget: integer('--observe-target', values['observe-target'] ?? env.FEED_OBSERVE_TARGET, 1, 1e9),
    observeSpreadSeconds: integer(
      '--observe-spread',
      values['observe-spread'] ?? env.FEED_OBSERVE_SPREAD,
      0,
      3600,
    ),
    feedRefreshMs: integer('--feed-refresh-ms', values['feed-refresh-ms'], 0, 3_600_000),
    batchMaxItems: integer('--batch-max', values['batch-max'], 1, 100_000),
    batchMaxDelayMs: integer('--batch-delay-ms', values['batch-delay-ms'], 0, 10_000),
    poolSize: integer('--pg-pool', values['pg-pool'] ?? env.FEED_PG_POOL, 1, 1000),
  };
}
