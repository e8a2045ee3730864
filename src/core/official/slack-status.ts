import * as v from 'valibot';
import { norm, PARSE_CONFIG, quote, rank, readJson, record, shapeProblem, worse } from './statuspage';
import { cleanTitle, type OfficialParser, type OfficialState, unknownReport } from './types';

// Slack's own status API, `https://slack-status.com/api/v2.0.0/current`: `{"status":"ok",
// "active_incidents":[]}` when healthy, `"status":"active"` with incidents otherwise. Pure, never throws.

const SOURCE = 'slack-status';

/**
 * Slack services (names as on slack-status.com, compared case-insensitively) that decide "can I message
 * people". An incident naming only others (Huddles, Calls, Workflows, Canvases, Files, Search,
 * Apps/Integrations/APIs…) is at most 'minor'. An incident naming no service at all counts fully.
 */
export const SLACK_MESSAGING_SERVICES: readonly string[] = [
  'Messaging',
  'Connectivity',
  'Login/SSO',
  'Notifications',
];

const PAGE_STATUS = new Set(['ok', 'active']);
const CLOSED = new Set(['resolved', 'completed', 'cancelled', 'canceled']);

const text = v.nullish(v.string());
const SlackDoc = record({
  status: v.string(),
  // The v1 answer had no list when healthy; treat a missing list as empty.
  active_incidents: v.optional(
    v.array(record({ title: text, type: text, status: text, services: v.nullish(v.array(v.string())) })),
  ),
});

const MESSAGING = new Set(SLACK_MESSAGING_SERVICES.map(norm));

export const parseSlackStatus: OfficialParser = (body, service) => {
  const json = readJson(body);
  if (!json.ok) return unknownReport(service, SOURCE, json.problem);
  const parsed = v.safeParse(SlackDoc, json.value, PARSE_CONFIG);
  if (!parsed.success) return unknownReport(service, SOURCE, shapeProblem(parsed.issues));
  const doc = parsed.output;

  const pageStatus = norm(doc.status);
  if (!PAGE_STATUS.has(pageStatus))
    return unknownReport(service, SOURCE, `unknown status "${quote(doc.status)}"`);

  const incidents = (doc.active_incidents ?? []).filter((incident) => !CLOSED.has(norm(incident.status)));
  if (pageStatus === 'active' && incidents.length === 0)
    return unknownReport(service, SOURCE, 'status active but no active incident');

  let state: OfficialState = 'operational';
  let worst: { state: OfficialState; title: string | null | undefined } | null = null;
  for (const incident of incidents) {
    const type = norm(incident.type);
    const services = incident.services ?? [];
    const relevant = services.length === 0 || services.some((name) => MESSAGING.has(norm(name)));
    const own: OfficialState =
      type === 'notice' && /maintenance/i.test(incident.title ?? '')
        ? 'maintenance'
        : type === 'outage' && relevant
          ? 'major'
          : // 'incident', 'notice', an outage elsewhere, or a type Slack may add later.
            'minor';
    state = worse(state, own);
    if (worst === null || rank(own) > rank(worst.state)) worst = { state: own, title: incident.title };
  }

  return { service, source: SOURCE, state, title: worst ? cleanTitle(worst.title) : null, problem: null };
};
