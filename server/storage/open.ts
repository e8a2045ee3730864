import { openPostgresStorage } from './postgres';
import { openSqliteStorage } from './sqlite';
import type { FeedStorage } from './types';

export interface OpenOptions {
  /** The clock used for the first open's counting-since mark (tests). */
  readonly now?: () => number;
  /** PostgreSQL only: most connections this instance opens. */
  readonly poolSize?: number;
}

/** True for a PostgreSQL connection URL (DATABASE_URL); anything else is a SQLite file path. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** Opens the store named by `location`: a SQLite file path (created with its folder), or a PostgreSQL URL. */
export async function openStorage(location: string, options: OpenOptions = {}): Promise<FeedStorage> {
  if (isPostgresUrl(location)) return openPostgresStorage(location, options);
  return openSqliteStorage(location, { now: options.now });
}
