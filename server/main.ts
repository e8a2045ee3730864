// The feed server's command line: `npm run feed -- --port 8787 --db ./data/feed.sqlite [--trust-proxy 1]`.
// Logs one JSON line per event on stdout. SIGTERM or SIGINT: stop accepting, answer the requests in
// flight, commit pending reports, close the database, exit 0.

import { parseConfig, USAGE } from './config';
import { errorText, jsonLogger } from './log';
import { startServer } from './server';
import { isPostgresUrl } from './storage/open';
import { describeTrustProxy } from './trust-proxy';

async function main(): Promise<void> {
  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig(process.argv.slice(2), process.env);
  } catch (error) {
    const help = errorText(error) === 'help';
    if (!help) process.stderr.write(`${errorText(error)}\n`);
    process.stderr.write(`${USAGE}\n`);
    process.exit(help ? 0 : 2);
  }
  const { port, host, db, trustProxy, ...rest } = config;
  // Only the tuning given, so the server's defaults apply to the rest.
  const tuning = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
  const server = await startServer({
    port,
    host,
    db,
    trustProxy,
    ...tuning,
  });
  jsonLogger('listening', {
    port: server.port,
    storage: server.storage.kind,
    // A file path is the operator's own; a database URL may hold a password and is never logged.
    db: isPostgresUrl(config.db) ? 'postgres' : config.db,
    trustProxy: describeTrustProxy(config.trustProxy),
    pid: process.pid,
  });

  let stoppingSince: number | null = null;
  const stop = (signal: NodeJS.Signals): void => {
    if (stoppingSince !== null) {
      // Ctrl-C reaches both npm and the server, and npm forwards it again: a repeat within a second is
      // the same request. A later one means "now".
      if (Date.now() - stoppingSince < 1000) return;
      jsonLogger('forced_exit', { signal }, 'warn');
      process.exit(1);
    }
    stoppingSince = Date.now();
    jsonLogger('stopping', { signal });
    // Draining is bounded (requests in flight get 10 s); this is the backstop should the store hang.
    setTimeout(() => {
      jsonLogger('forced_exit', { signal: 'timeout' }, 'error');
      process.exit(1);
    }, 30_000).unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        jsonLogger('stop_failed', { error: errorText(error) }, 'error');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  jsonLogger('start_failed', { error: errorText(error) }, 'error');
  process.exit(1);
});
