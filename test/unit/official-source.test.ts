// Official status pages as the browser reads them: without host permission (Firefox's default) the
// read is a plain CORS request, so it must not carry headers that would need a preflight.
import { describe, expect, it } from 'vitest';
import { type OfficialCacheEntry, unknownReport } from '../../src/core/official/types';
import { realTimer } from '../../src/sources/http';
import { type OfficialInput, officialSource } from '../../src/sources/official';
import type { SourceEnv } from '../../src/sources/source';
import { T } from './helpers';

const NOW = Date.UTC(2026, 10, 23, 14, 0);
const URL_ = 'https://discordstatus.com/api/v2/summary.json';
const SUMMARY = JSON.stringify({
  status: { indicator: 'none', description: 'All Systems Operational' },
  components: [],
  incidents: [],
  scheduled_maintenances: [],
});

/** Header names a CORS request may carry without a preflight (plus those the browser adds itself). */
const SAFELISTED = new Set(['accept', 'accept-language', 'content-language', 'content-type']);

function context(readable: boolean) {
  const sent: Headers[] = [];
  const cached: OfficialCacheEntry = {
    url: URL_,
    fetchedAt: NOW - 10 * 60_000,
    etag: '"abc"',
    lastModified: 'Mon, 23 Nov 2026 13:00:00 GMT',
    report: unknownReport('discord', 'statuspage', 'not read yet'),
  };
  const env: SourceEnv = {
    fetch: async (_input, init) => {
      sent.push(new Headers(init?.headers));
      return new Response(SUMMARY, { status: 200, headers: { 'content-type': 'application/json' } });
    },
    clock: () => 0,
    setTimer: realTimer,
    sleep: async () => undefined,
  };
  const input: OfficialInput = {
    watched: ['discord'],
    statusPages: {},
    customApps: [],
    suspect: new Set(),
    cache: { discord: cached },
    thresholds: T,
    canRead: () => readable,
    now: NOW,
  };
  return { env, input, sent };
}

describe('official status reads', () => {
  it('send only CORS-safelisted headers to a status page Detour may not read (no preflight)', async () => {
    const { env, input, sent } = context(false);
    const { reports } = await officialSource.observe(env, input);
    expect(reports[0]?.state).toBe('operational');
    const names = [...(sent[0]?.keys() ?? [])];
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(SAFELISTED.has(name)).toBe(true);
  });

  it('revalidate with the cached ETag and date when the user granted that origin', async () => {
    const { env, input, sent } = context(true);
    await officialSource.observe(env, input);
    expect(sent[0]?.get('if-none-match')).toBe('"abc"');
    expect(sent[0]?.get('if-modified-since')).toBe('Mon, 23 Nov 2026 13:00:00 GMT');
  });

  it("ask Google's resolver for Signal's record without passing on the user's subnet", async () => {
    const urls: string[] = [];
    const { env, input } = context(false);
    const fetchSignal: SourceEnv['fetch'] = async (url) => {
      urls.push(String(url));
      return new Response(
        '{"Status":0,"Answer":[{"name":"uptime.signal.org.","type":1,"data":"127.0.0.1"}]}',
      );
    };
    await officialSource.observe(
      { ...env, fetch: fetchSignal },
      { ...input, watched: ['signal'], cache: {} },
    );
    expect(urls).toHaveLength(1);
    const url = new URL(urls[0] ?? '');
    expect(url.origin + url.pathname).toBe('https://dns.google/resolve');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      name: 'uptime.signal.org',
      type: 'A',
      edns_client_subnet: '0.0.0.0/0',
    });
  });
});
