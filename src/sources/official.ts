import { appEntry, type OfficialSource } from '../core/catalog';
import type { CustomApp } from '../core/custom-apps';
import { OFFICIAL_PARSERS, officialUrl } from '../core/official/parsers';
import {
  OFFICIAL_MAX_BYTES,
  type OfficialCache,
  type OfficialCacheEntry,
  type OfficialReport,
  unknownReport,
  WORKSPACE_MAX_BYTES,
} from '../core/official/types';
import type { ServiceId } from '../core/services';
import type { Thresholds } from '../core/thresholds';
import type { MonitorState } from '../core/types';
import { failureProblem, httpRequest } from './http';
import type { SignalSource, SourceEnv } from './source';

/**
 * Official status pages: polled at a gentler pace than probes (every 5 minutes, every 30 s while a
 * probe of that service looks suspect), with conditional requests, a size limit and a schema per
 * source kind. A page that fails in any way makes that source unknown, never the service down.
 */
export const OFFICIAL_POLL_MS = 5 * 60_000;
export const OFFICIAL_SUSPECT_POLL_MS = 30_000;

export interface OfficialInput {
  readonly watched: readonly ServiceId[];
  /** Pages the user added, by service: they win over the catalog's. */
  readonly statusPages: Readonly<Partial<Record<ServiceId, string>>>;
  /** The user's own apps (the settings'): a status page one of them names. */
  readonly customApps: readonly CustomApp[];
  /** Services whose probes did not find them up last time: their pages are read more often. */
  readonly suspect: ReadonlySet<ServiceId>;
  readonly cache: OfficialCache;
  readonly thresholds: Thresholds;
  readonly canRead: (url: string) => boolean;
  readonly now: number;
}

/** The status source of a service: a page the user added wins over the catalog's. */
export function officialSourceFor(
  id: ServiceId,
  statusPages: OfficialInput['statusPages'],
  customApps: OfficialInput['customApps'],
): OfficialSource | null {
  const added = statusPages[id];
  if (added) return { kind: 'statuspage', url: added };
  return appEntry(id, customApps)?.official ?? null;
}

function suspectOf(state: MonitorState, watched: readonly ServiceId[]): Set<ServiceId> {
  return new Set(watched.filter((id) => state.services[id]?.probeStatus !== 'up'));
}

export const officialSource = {
  id: 'official',
  inputOf: (ctx) => ({
    watched: ctx.settings.watched,
    statusPages: ctx.settings.statusPages,
    customApps: ctx.settings.customApps,
    suspect: suspectOf(ctx.record.state, ctx.settings.watched),
    cache: ctx.record.officialCache,
    thresholds: ctx.thresholds,
    canRead: ctx.canRead,
    now: ctx.now,
  }),
  async observe(env, input) {
    const cache: Partial<Record<ServiceId, OfficialCacheEntry>> = {};
    const reports = await Promise.all(
      input.watched.map(async (id): Promise<OfficialReport | null> => {
        const source = officialSourceFor(id, input.statusPages, input.customApps);
        if (!source) return null;
        const url = officialUrl(source);
        const cached = input.cache[id]?.url === url ? input.cache[id] : undefined;
        const every = input.suspect.has(id) ? OFFICIAL_SUSPECT_POLL_MS : OFFICIAL_POLL_MS;
        const due = !cached || input.now - cached.fetchedAt >= every;
        const entry = due ? await fetchOfficial(env, input, id, source, url, cached) : cached;
        cache[id] = entry;
        return entry.report;
      }),
    );
    return { reports: reports.filter((r): r is OfficialReport => r !== null), cache };
  },
} as const satisfies SignalSource<'official', OfficialInput>;

async function fetchOfficial(
  env: SourceEnv,
  input: OfficialInput,
  id: ServiceId,
  source: OfficialSource,
  url: string,
  cached: OfficialCacheEntry | undefined,
): Promise<OfficialCacheEntry> {
  const now = input.now;
  const outcome = await httpRequest(env, {
    url,
    headers: { accept: 'application/json, application/dns-json' },
    // Revalidate: the conditional headers make an unchanged page cost a 304. Without host permission
    // (the default, and what Firefox has until the user grants it) the read is an ordinary CORS
    // request: conditional headers of our own would add a preflight that status pages need not
    // answer, so then the browser revalidates from its own cache instead.
    cache: 'no-cache',
    ...(input.canRead(url) && cached ? { validators: cached } : {}),
    timeoutMs: input.thresholds.timeoutMs,
    maxBytes: source.kind === 'google-workspace' ? WORKSPACE_MAX_BYTES : OFFICIAL_MAX_BYTES,
  });
  const fail = (problem: string): OfficialCacheEntry => ({
    url,
    fetchedAt: now,
    etag: null,
    lastModified: null,
    report: unknownReport(id, source.kind, problem),
  });
  switch (outcome.kind) {
    case 'ok':
      return {
        url,
        fetchedAt: now,
        etag: outcome.validators.etag,
        lastModified: outcome.validators.lastModified,
        report: OFFICIAL_PARSERS[source.kind](outcome.body ?? '', id),
      };
    case 'not-modified':
      return cached ? { ...cached, fetchedAt: now } : fail('HTTP 304');
    default:
      return fail(failureProblem(outcome));
  }
}
