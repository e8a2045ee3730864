import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openSqliteStorage } from '../../server/storage/sqlite';
import type { FeedStorage } from '../../server/storage/types';
import { removeTempDirs, tempDir } from './helpers';
import { describeStorageSuite } from './storage-suite';

afterAll(removeTempDirs);

describeStorageSuite('sqlite', async ({ now }) => {
  const dir = tempDir();
  const path = join(dir, 'feed.sqlite');
  const handles: FeedStorage[] = [await openSqliteStorage(path, { now })];
  return {
    storage: handles[0] as FeedStorage,
    reopen: async () => {
      const again = await openSqliteStorage(path, { now });
      handles.push(again);
      return again;
    },
    cleanup: async () => {
      for (const h of handles.splice(0)) await h.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
