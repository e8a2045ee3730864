import { openSqliteStorage, type SqliteOptions } from './sqlite';
import type { FeedStorage } from './types';

/** True for a PostgreSQL connection URL (DATABASE_URL); anything else is a SQLite file path. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** Opens the store named by `location`: a SQLite file path (created with its folder), or a PostgreSQL URL. */
export async function openStorage(location: string, options: SqliteOptions = {}): Promise<FeedStorage> {
  if (isPostgresUrl(location)) {
    // The routes only use the async FeedStorage interface, so a PostgreSQL store can slot in here.
    throw new Error('PostgreSQL storage is not available in this version yet: use --db PATH (SQLite)');
  }
  return openSqliteStorage(location, options);
}
