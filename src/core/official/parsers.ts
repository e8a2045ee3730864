import * as v from 'valibot';
import { type OfficialSource, type ServiceId, SIGNAL_UPTIME_DOH } from '../catalog';
import {
  cleanTitle,
  type OfficialParser,
  type OfficialReport,
  type OfficialState,
  unknownReport,
} from './types';

// Parsers for the official status sources. Each validates its document with a schema (unknown fields
// ignored) and never throws: anything unexpected is an unknown report with a reason.

function parseJson(body: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  const text = body.replace(/^\uFEFF/, '').trim();
  if (text === '') return { ok: false, problem: 'empty body' };
  if (text.startsWith('<')) return { ok: false, problem: 'HTML page instead of JSON' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
}

const RANK: Record<OfficialState, number> = {
  unknown: -1,
  operational: 0,
  maintenance: 1,
  minor: 2,
  major: 3,
};
const worse = (a: OfficialState, b: OfficialState): OfficialState => (RANK[b] > RANK[a] ? b : a);

const statuspageDoc = v.object({
  status: v.optional(v.object({ indicator: v.string() })),
  components: v.optional(v.array(v.object({ name: v.optional(v.string()), status: v.string() }))),
  incidents: v.optional(
    v.array(
      v.object({
        name: v.optional(v.string()),
        impact: v.optional(v.string()),
        status: v.optional(v.string()),
      }),
    ),
  ),
  scheduled_maintenances: v.optional(
    v.array(v.object({ name: v.optional(v.string()), status: v.optional(v.string()) })),
  ),
});

export const parseStatuspage: OfficialParser = (body, service) => {
  const json = parseJson(body);
  if (!json.ok) return unknownReport(service, 'statuspage', json.problem);
  const doc = v.safeParse(statuspageDoc, json.value);
  if (!doc.success || !doc.output.status) return unknownReport(service, 'statuspage', 'unexpected shape');
  const indicator = doc.output.status.indicator.toLowerCase();
  const fromIndicator: Record<string, OfficialState> = {
    none: 'operational',
    minor: 'minor',
    major: 'major',
    critical: 'major',
    maintenance: 'maintenance',
  };
  let state = fromIndicator[indicator];
  if (!state) return unknownReport(service, 'statuspage', `unexpected indicator ${indicator.slice(0, 20)}`);
  let title: string | null = null;
  for (const incident of doc.output.incidents ?? []) {
    if (incident.status === 'resolved' || incident.status === 'postmortem') continue;
    const impact = (incident.impact ?? 'minor').toLowerCase();
    state = worse(state, impact === 'major' || impact === 'critical' ? 'major' : 'minor');
    title ??= cleanTitle(incident.name);
  }
  for (const c of doc.output.components ?? []) {
    if (c.status === 'major_outage' || c.status === 'partial_outage') state = worse(state, 'minor');
  }
  if (state === 'operational' || state === 'maintenance') {
    const active = (doc.output.scheduled_maintenances ?? []).find((m) => m.status === 'in_progress');
    if (active) {
      state = 'maintenance';
      title ??= cleanTitle(active.name);
    }
  }
  return { service, source: 'statuspage', state, title, problem: null };
};

const slackDoc = v.object({
  status: v.string(),
  active_incidents: v.array(
    v.object({
      title: v.optional(v.string()),
      type: v.optional(v.string()),
      services: v.optional(v.array(v.string())),
    }),
  ),
});
/** Slack services that decide "can I message people"; Huddles or Workflows alone are minor. */
const SLACK_MESSAGING = ['Messaging', 'Connectivity', 'Login/SSO', 'Notifications'];

export const parseSlackStatus: OfficialParser = (body, service) => {
  const json = parseJson(body);
  if (!json.ok) return unknownReport(service, 'slack-status', json.problem);
  const doc = v.safeParse(slackDoc, json.value);
  if (!doc.success) return unknownReport(service, 'slack-status', 'unexpected shape');
  let state: OfficialState = 'operational';
  let title: string | null = null;
  for (const incident of doc.output.active_incidents) {
    const messaging = (incident.services ?? []).some((s) => SLACK_MESSAGING.includes(s));
    const type = (incident.type ?? 'incident').toLowerCase();
    const maintenance = type === 'notice' && /maintenance/i.test(incident.title ?? '');
    const kind: OfficialState = maintenance
      ? 'maintenance'
      : type === 'outage' && messaging
        ? 'major'
        : 'minor';
    state = worse(state, kind);
    title ??= cleanTitle(incident.title);
  }
  return { service, source: 'slack-status', state, title, problem: null };
};

const dohDoc = v.object({
  Status: v.number(),
  Answer: v.optional(v.array(v.object({ type: v.number(), data: v.string() }))),
});

export const parseSignalUptime: OfficialParser = (body, service) => {
  const json = parseJson(body);
  if (!json.ok) return unknownReport(service, 'signal-uptime-dns', json.problem);
  const doc = v.safeParse(dohDoc, json.value);
  if (!doc.success) return unknownReport(service, 'signal-uptime-dns', 'unexpected shape');
  if (doc.output.Status !== 0)
    return unknownReport(service, 'signal-uptime-dns', `DNS status ${doc.output.Status}`);
  const a = (doc.output.Answer ?? []).find((r) => r.type === 1);
  if (a?.data === '127.0.0.1')
    return { service, source: 'signal-uptime-dns', state: 'operational', title: null, problem: null };
  if (a?.data === '127.0.0.2')
    return { service, source: 'signal-uptime-dns', state: 'major', title: null, problem: null };
  return unknownReport(
    service,
    'signal-uptime-dns',
    a ? `unexpected answer ${a.data.slice(0, 40)}` : 'no A record',
  );
};

export const OFFICIAL_PARSERS = {
  statuspage: parseStatuspage,
  'slack-status': parseSlackStatus,
  'signal-uptime-dns': parseSignalUptime,
} as const satisfies Record<OfficialSource['kind'], OfficialParser>;

export function officialUrl(source: OfficialSource): string {
  return source.kind === 'signal-uptime-dns' ? SIGNAL_UPTIME_DOH : source.url;
}

export type { OfficialReport, ServiceId };
