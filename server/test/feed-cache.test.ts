import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { FeedCache } from '../feed-cache';
import { openSqliteStorage } from '../storage/sqlite';
import { removeTempDirs, T0, tempDir } from './helpers';

afterAll(removeTempDirs);

describe('FeedCache', () => {
  it('still builds the document, with its sampling hints, when recording the sample fails', async () => {
    const storage = await openSqliteStorage(join(tempDir(), 'feed.sqlite'), { now: () => T0 });
    try {
      const failure = new Error('disk full');
      vi.spyOn(storage, 'publishSample').mockRejectedValue(failure);
      const errors: unknown[] = [];
      const cache = new FeedCache(
        storage,
        5000,
        () => T0,
        (e) => errors.push(e),
        {
          target: 6000,
          spreadSeconds: 60,
        },
      );
      const doc = JSON.parse((await cache.get()).body.toString()) as { observe?: unknown };
      expect(doc.observe).toEqual({ sample: 1, spreadSeconds: 60 });
      expect(storage.publishSample).toHaveBeenCalledOnce();
      expect(errors).toEqual([failure]);
    } finally {
      await storage.close();
    }
  });
});
