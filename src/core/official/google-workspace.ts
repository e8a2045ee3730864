import * as v from 'valibot';
import type { ServiceId } from '../services';
import { norm, PARSE_CONFIG, rank, readJson, record, shapeProblem, worse } from './statuspage';
import { cleanTitle, type OfficialParser, type OfficialState, unknownReport } from './types';

// Google Workspace Status Dashboard, `https://www.google.com/appsstatus/dashboard/incidents.json`: one
// JSON array of incidents of every Workspace product, recent history included (docs/signal-sources.md
// says what is known of the format and how it was checked). An incident is open while it has no `end`.
// Pure: text in, report out, never throws.

const SOURCE = 'google-workspace';

/** The product a service is, as the dashboard names it (`service_name`, `affected_products[].title`). */
export const WORKSPACE_PRODUCTS: Readonly<Partial<Record<ServiceId, string>>> = {
  meet: 'Google Meet',
};

/**
 * `status_impact` of an open incident (Google Cloud's incidents use the same words): an outage is
 * major, a disruption minor; an information notice changes nothing. `severity` (`high`, `medium`,
 * `low`) decides when the impact is missing or new.
 */
const IMPACT = new Map<string, OfficialState>([
  ['service_outage', 'major'],
  ['service_disruption', 'minor'],
  ['service_information', 'operational'],
]);
const SEVERITY = new Map<string, OfficialState>([
  ['high', 'major'],
  ['medium', 'minor'],
  ['low', 'minor'],
]);

const text = v.nullish(v.string());
const IncidentSchema = record({
  // Every incident names its product and start: a list of other documents is not this feed.
  service_name: v.string(),
  begin: v.string(),
  external_desc: text,
  end: text,
  severity: text,
  status_impact: text,
  affected_products: v.nullish(v.array(record({ title: text }))),
  most_recent_update: v.nullish(record({ status: text })),
});
type Incident = v.InferOutput<typeof IncidentSchema>;

const isOpen = (incident: Incident): boolean =>
  norm(incident.end) === '' && norm(incident.most_recent_update?.status) !== 'available';

const concerns = (incident: Incident, product: string): boolean =>
  norm(incident.service_name) === product ||
  (incident.affected_products ?? []).some((p) => norm(p.title) === product);

const stateOf = (incident: Incident): OfficialState =>
  IMPACT.get(norm(incident.status_impact)) ?? SEVERITY.get(norm(incident.severity)) ?? 'minor';

export const parseGoogleWorkspace: OfficialParser = (body, service) => {
  const product = WORKSPACE_PRODUCTS[service];
  if (product === undefined) return unknownReport(service, SOURCE, 'not a Google Workspace product');
  const json = readJson(body);
  if (!json.ok) return unknownReport(service, SOURCE, json.problem);
  if (!Array.isArray(json.value)) return unknownReport(service, SOURCE, 'not a list of incidents');
  // The file keeps months of history: one odd old incident is skipped alone rather than blinding the
  // source until Google edits it. A list in which no item reads is not this feed.
  const incidents: Incident[] = [];
  let firstIssues: Parameters<typeof shapeProblem>[0] | null = null;
  for (const item of json.value) {
    const parsed = v.safeParse(IncidentSchema, item, PARSE_CONFIG);
    if (parsed.success) incidents.push(parsed.output);
    else firstIssues ??= parsed.issues;
  }
  if (incidents.length === 0 && firstIssues) return unknownReport(service, SOURCE, shapeProblem(firstIssues));

  const wanted = norm(product);
  let state: OfficialState = 'operational';
  let title: string | null = null;
  for (const incident of incidents) {
    if (!isOpen(incident) || !concerns(incident, wanted)) continue;
    const own = stateOf(incident);
    if (title === null || rank(own) > rank(state)) title = cleanTitle(incident.external_desc);
    state = worse(state, own);
  }
  return { service, source: SOURCE, state, title: state === 'operational' ? null : title, problem: null };
};
