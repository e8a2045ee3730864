// What the black-box attack tests share (attacks.test.ts for reports, observation-attacks.test.ts for
// observations): feed servers started the way `npm run feed` starts them, fresh ids, and answers tallied.
// Senders use real source addresses: a server on 127.0.0.1 is reached from anywhere in 127.0.0.0/8, so
// 127.0.0.x are addresses of one /24 network and 127.N.0.1 are N distinct networks.

import { randomBytes } from 'node:crypto';
import { BUCKET_MS } from '../core/baseline';
import { type FeedProcess, type RawResponse, spawnFeed, tempDir } from './helpers';

export const EXTENSION = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';

export const randomClient = (): string => randomBytes(12).toString('base64url');

/** Feed processes on fresh databases, the feed rebuilt on every read; `stopAll` kills them (afterEach). */
export function feedProcesses(): {
  feed: (...args: string[]) => Promise<FeedProcess>;
  stopAll: () => Promise<void>;
} {
  const running: FeedProcess[] = [];
  return {
    async feed(...args) {
      // Reports and the feed from the same bucket: not within 20 s of a bucket's end.
      const intoBucket = BUCKET_MS - (Date.now() % BUCKET_MS);
      if (intoBucket < 20_000) await new Promise((resolve) => setTimeout(resolve, intoBucket + 100));
      const p = await spawnFeed([
        ...['--port', '0', '--host', '127.0.0.1', '--db', `${tempDir()}/feed.sqlite`],
        ...['--feed-refresh-ms', '0'],
        ...args,
      ]);
      running.push(p);
      return p;
    },
    async stopAll() {
      for (const p of running.splice(0)) {
        p.child.kill('SIGKILL');
        await p.exited;
      }
    },
  };
}

/** Answers tallied: "202 counted", "202 not counted", "429 rate_limited", "403 forbidden-origin"… */
export function tally(answers: readonly RawResponse[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of answers) {
    const body = a.json() as { counted?: boolean; error?: string; reason?: string };
    const key = `${a.status} ${body.counted ? 'counted' : (body.error ?? body.reason ?? 'not counted')}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
