import { CATALOG, type OfficialSource, type ServiceId } from '../core/catalog';
import { OFFICIAL_PARSERS, officialUrl } from '../core/official/parsers';
import { OFFICIAL_MAX_BYTES, type OfficialReport, unknownReport } from '../core/official/types';
import { readLimitedText } from './http-attempt';
import type { SignalSource, SourceContext } from './source';

/**
 * Official status pages: polled at a gentler pace than probes (every 5 minutes, every 30 s while a
 * probe of that service looks suspect), with conditional requests, a size limit and a schema per
 * source kind. A page that fails in any way makes that source unknown, never the service down.
 */
export const OFFICIAL_POLL_MS = 5 * 60_000;
export const OFFICIAL_SUSPECT_POLL_MS = 30_000;

export interface OfficialCacheEntry {
  readonly url: string;
  readonly fetchedAt: number;
  readonly etag: string | null;
  readonly lastModified: string | null;
  readonly report: OfficialReport;
}
export type OfficialCache = Readonly<Partial<Record<ServiceId, OfficialCacheEntry>>>;

export interface OfficialObservation {
  readonly reports: readonly OfficialReport[];
  readonly cache: OfficialCache;
}

/** The status source of a service: a page the user added wins over the catalog's. */
export function officialSourceFor(
  id: ServiceId,
  statusPages: SourceContext['statusPages'],
): OfficialSource | null {
  const added = statusPages[id];
  if (added) return { kind: 'statuspage', url: added };
  return CATALOG[id].official;
}

export const officialSource = {
  id: 'official',
  async observe(ctx) {
    const now = ctx.now();
    const cache: Partial<Record<ServiceId, OfficialCacheEntry>> = {};
    const reports = await Promise.all(
      ctx.watched.map(async (id): Promise<OfficialReport | null> => {
        const source = officialSourceFor(id, ctx.statusPages);
        if (!source) return null;
        const url = officialUrl(source);
        const cached = ctx.officialCache[id]?.url === url ? ctx.officialCache[id] : undefined;
        const suspect = ctx.previous.services[id]?.probeStatus !== 'up';
        const due =
          !cached || now - cached.fetchedAt >= (suspect ? OFFICIAL_SUSPECT_POLL_MS : OFFICIAL_POLL_MS);
        const entry = due ? await fetchOfficial(ctx, id, source, url, cached, now) : cached;
        cache[id] = entry;
        return entry.report;
      }),
    );
    return { reports: reports.filter((r): r is OfficialReport => r !== null), cache };
  },
} as const satisfies SignalSource<'official'>;

async function fetchOfficial(
  ctx: SourceContext,
  id: ServiceId,
  source: OfficialSource,
  url: string,
  cached: OfficialCacheEntry | undefined,
  now: number,
): Promise<OfficialCacheEntry> {
  const headers: Record<string, string> = { accept: 'application/json, application/dns-json' };
  // Without host permission (the default, and what Firefox has until the user grants it) the read is
  // an ordinary CORS request: conditional headers of our own would add a preflight that status
  // pages need not answer. Then `cache: 'no-cache'` lets the browser revalidate from its own cache.
  if (ctx.canRead(url)) {
    if (cached?.etag) headers['if-none-match'] = cached.etag;
    if (cached?.lastModified) headers['if-modified-since'] = cached.lastModified;
  }
  const controller = new AbortController();
  const cancel = ctx.setTimer(() => controller.abort(), ctx.thresholds.timeoutMs);
  const fail = (problem: string): OfficialCacheEntry => ({
    url,
    fetchedAt: now,
    etag: null,
    lastModified: null,
    report: unknownReport(id, source.kind, problem),
  });
  try {
    const response = await ctx.fetch(url, {
      credentials: 'omit',
      cache: 'no-cache', // revalidate: the conditional headers make an unchanged page cost a 304
      headers,
      signal: controller.signal,
    });
    if (response.status === 304 && cached) return { ...cached, fetchedAt: now };
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      return fail(`HTTP ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > OFFICIAL_MAX_BYTES) {
      await response.body?.cancel().catch(() => undefined);
      return fail(`too large (${declared} bytes)`);
    }
    const body = await readLimitedText(response, OFFICIAL_MAX_BYTES);
    return {
      url,
      fetchedAt: now,
      etag: response.headers.get('etag'),
      lastModified: response.headers.get('last-modified'),
      report: OFFICIAL_PARSERS[source.kind](body, id),
    };
  } catch (error) {
    const problem = controller.signal.aborted
      ? 'timeout'
      : error instanceof Error && /larger than/.test(error.message)
        ? 'too large'
        : 'unreachable';
    return fail(problem);
  } finally {
    cancel();
  }
}
