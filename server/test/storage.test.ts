import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, openSqliteStorage } from '../storage/sqlite';
import type { FeedStorage } from '../storage/types';
import { removeTempDirs, T0, tempDir } from './helpers';
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

describe('sqlite migration from schema version 1', () => {
  it('keeps the counts and breakdown, drops what raw reports no longer hold, and counts networks from then on', async () => {
    const path = join(tempDir(), 'v1.sqlite');
    const v1 = new Database(path);
    v1.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    v1.exec(MIGRATIONS[0]?.sql ?? '');
    v1.prepare('INSERT INTO schema_migrations VALUES (1, 0)').run();
    v1.prepare("INSERT INTO meta VALUES ('counting_since', ?), ('client_key', ?)").run(
      String(T0),
      'ab'.repeat(32),
    );
    v1.prepare(
      "INSERT INTO reports (service, problem, country, client_hash, ip_hash, at) VALUES ('whatsapp', 'calls', 'IT', 'c1', 'ip1', ?)",
    ).run(T0 + 60_000);
    v1.prepare("INSERT INTO buckets VALUES ('whatsapp', ?, 4)").run(T0);
    v1.prepare("INSERT INTO breakdown VALUES ('whatsapp', ?, 'problem', 'calls', 4)").run(T0);
    v1.close();

    const store = await openSqliteStorage(path, { now: () => T0 + 2 * 60_000 });
    try {
      // A bucket from before counts each of its reports as its own network.
      expect(await store.counts(0)).toEqual([{ service: 'whatsapp', bucket: T0, reports: 4 }]);
      // The old client's report still dedupes; a new one adds a network to the old count.
      const at = T0 + 2 * 60_000;
      const base = { service: 'whatsapp', problem: 'messages', country: null, at } as const;
      expect(
        await store.addReports([
          { ...base, clientHash: 'c1', netHash: 'n1' },
          { ...base, clientHash: 'c2', netHash: 'n2' },
        ]),
      ).toEqual([{ counted: false, reason: 'duplicate' }, { counted: true }]);
      expect(await store.counts(0)).toEqual([{ service: 'whatsapp', bucket: T0, reports: 5, networks: 5 }]);
      expect(store.countingSince).toBe(T0);
    } finally {
      await store.close();
    }
    const db = new Database(path, { readonly: true });
    const columns = (db.prepare('PRAGMA table_info(reports)').all() as { name: string }[]).map((c) => c.name);
    db.close();
    expect(columns.sort()).toEqual(['at', 'client_hash', 'id', 'service']);
  });
});
