import * as v from 'valibot';
import type { ServiceId } from '../services';
import { cleanTitle, type OfficialParser, type OfficialState, unknownReport } from './types';

// Atlassian Statuspage v2: `summary.json` (indicator, components, unresolved incidents, scheduled
// maintenances) or `status.json` (indicator only). Pure: text in, report out, never throws.

// ---------------------------------------------------------------------------------------------------
// Helpers shared by the three official parsers (slack-status.ts and signal-uptime.ts import them).

export type JsonRead =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly problem: string };

/** `callback(`, `window.cb(`, `/**\/cb(`: a JSONP wrapper (valid JSON never starts with a name and `(`). */
const JSONP = /^(?:\/\*\*\/\s*)?[\w$.]+\s*\(/;

/** The body as a JSON value, or why it is not one. A leading BOM is tolerated (RFC 8259 allows it). */
export function readJson(body: string): JsonRead {
  if (typeof body !== 'string') return { ok: false, problem: 'not text' };
  const text = body.replace(/^\uFEFF/, '').trim();
  if (text === '') return { ok: false, problem: 'empty body' };
  if (text.startsWith('<')) return { ok: false, problem: 'HTML page instead of JSON' };
  if (JSONP.test(text)) return { ok: false, problem: 'JSONP wrapper instead of JSON' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    // V8 parses deep nesting iteratively today; an engine that runs out of stack throws RangeError.
    return { ok: false, problem: error instanceof RangeError ? 'JSON nested too deeply' : 'not JSON' };
  }
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** A short reason naming where a document broke its schema: "unexpected shape: status.indicator". */
export function shapeProblem(issues: readonly v.BaseIssue<unknown>[]): string {
  const issue = issues[0];
  const path = issue ? v.getDotPath(issue) : null;
  if (path) return `unexpected shape: ${path.slice(0, 60)}`;
  return `unexpected shape: ${kindOf(issue?.input)} instead of an object`;
}

/** A value from the document, made safe and short enough to quote in a problem. */
export function quote(raw: string, max = 32): string {
  const text = cleanTitle(raw);
  if (text === null) return '(blank)';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Enumerated values are compared trimmed and lower-cased ("Major" and "major" mean the same). */
export const norm = (value: string | null | undefined): string => (value ?? '').trim().toLowerCase();

const RANK: Readonly<Record<OfficialState, number>> = {
  unknown: -1,
  operational: 0,
  maintenance: 1,
  minor: 2,
  major: 3,
};
export const rank = (state: OfficialState): number => RANK[state];
export const worse = (a: OfficialState, b: OfficialState): OfficialState => (RANK[b] > RANK[a] ? b : a);

const isRecord = (input: unknown): boolean =>
  typeof input === 'object' && input !== null && !Array.isArray(input);

/** `v.object` alone accepts arrays (they are objects): JSON objects only, then the entries. */
export const record = <const TEntries extends v.ObjectEntries>(entries: TEntries) =>
  v.pipe(v.custom<unknown>(isRecord, 'expected an object'), v.object(entries));

/** Schema failures stop at the first issue: a 100,000-item document must not collect 100,000 issues. */
export const PARSE_CONFIG = { abortEarly: true } as const;

// ---------------------------------------------------------------------------------------------------

const SOURCE = 'statuspage';

/**
 * Components that decide "can I message people on this service", by Statuspage component name (compared
 * case-insensitively). A problem elsewhere on the page (a voice region, payments, search) is at most
 * 'minor'. A service without a list here (a status page the user added, Zoom…) counts every component.
 * Discord's names as on discordstatus.com; "Client" is listed in case Discord adds it (harmless if absent).
 */
export const STATUSPAGE_MESSAGING_COMPONENTS: Readonly<Partial<Record<ServiceId, readonly string[]>>> = {
  discord: ['API', 'Gateway', 'Client', 'Media Proxy', 'Push Notifications', 'CloudFlare'],
};

const INDICATOR = new Map<string, OfficialState>([
  ['none', 'operational'],
  ['minor', 'minor'],
  ['major', 'major'],
  ['critical', 'major'],
  ['maintenance', 'maintenance'],
]);

/** Unknown component statuses are ignored: one odd component must not blank the whole page. */
const COMPONENT_STATUS = new Map<string, OfficialState>([
  ['operational', 'operational'],
  ['degraded_performance', 'minor'],
  ['partial_outage', 'minor'],
  ['major_outage', 'major'],
  ['under_maintenance', 'maintenance'],
]);

const CLOSED = new Set(['resolved', 'postmortem', 'completed']);
const MAINTENANCE_ACTIVE = new Set(['in_progress', 'verifying']);

const text = v.nullish(v.string());
const componentRefs = v.nullish(v.array(record({ name: text })));

const StatuspageDoc = record({
  status: record({ indicator: v.string() }),
  components: v.optional(v.array(record({ name: text, status: v.string() }))),
  incidents: v.optional(
    v.array(record({ name: text, status: text, impact: text, components: componentRefs })),
  ),
  scheduled_maintenances: v.optional(
    v.array(record({ name: text, status: text, components: componentRefs })),
  ),
});

export const parseStatuspage: OfficialParser = (body, service) => {
  const json = readJson(body);
  if (!json.ok) return unknownReport(service, SOURCE, json.problem);
  const parsed = v.safeParse(StatuspageDoc, json.value, PARSE_CONFIG);
  if (!parsed.success) return unknownReport(service, SOURCE, shapeProblem(parsed.issues));
  const doc = parsed.output;

  const overall = INDICATOR.get(norm(doc.status.indicator));
  if (overall === undefined)
    return unknownReport(service, SOURCE, `unknown status.indicator "${quote(doc.status.indicator)}"`);

  const listed = (STATUSPAGE_MESSAGING_COMPONENTS[service] ?? []).map(norm);
  const matters = (name: string | null | undefined): boolean =>
    listed.length === 0 || listed.includes(norm(name));
  /** A problem outside the components that matter for messaging is at most minor. */
  const scoped = (state: OfficialState, relevant: boolean): OfficialState =>
    relevant || state !== 'major' ? state : 'minor';

  const components = doc.components ?? [];
  // With a breakdown at hand and a list of what matters, the page-wide indicator only says "something is
  // wrong" (at least minor); whether that is major for messaging is decided from the parts below.
  let state = listed.length > 0 && components.length > 0 ? scoped(overall, false) : overall;

  for (const component of components) {
    const status = COMPONENT_STATUS.get(norm(component.status));
    if (status !== undefined) state = worse(state, scoped(status, matters(component.name)));
  }

  let worst: { state: OfficialState; name: string | null | undefined } | null = null;
  for (const incident of doc.incidents ?? []) {
    if (CLOSED.has(norm(incident.status))) continue;
    const impact = norm(incident.impact);
    const severity: OfficialState =
      impact === 'major' || impact === 'critical'
        ? 'major'
        : impact === 'maintenance'
          ? 'maintenance'
          : 'minor';
    const affected = incident.components ?? [];
    const own = scoped(severity, affected.length === 0 || affected.some((c) => matters(c.name)));
    state = worse(state, own);
    if (worst === null || rank(own) > rank(worst.state)) worst = { state: own, name: incident.name };
  }

  let maintenanceName: string | null | undefined;
  let inMaintenance = false;
  for (const maintenance of doc.scheduled_maintenances ?? []) {
    if (!MAINTENANCE_ACTIVE.has(norm(maintenance.status))) continue;
    state = worse(state, 'maintenance');
    if (!inMaintenance) maintenanceName = maintenance.name;
    inMaintenance = true;
  }

  const title =
    worst !== null ? cleanTitle(worst.name) : state === 'maintenance' ? cleanTitle(maintenanceName) : null;
  return { service, source: SOURCE, state, title, problem: null };
};
