import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { CATALOG, type OfficialSource, SIGNAL_UPTIME_DOH } from '../../src/core/catalog';
import {
  OFFICIAL_PARSERS,
  officialUrl,
  parseGoogleWorkspace,
  parseSignalUptime,
  parseSlackStatus,
  parseStatuspage,
} from '../../src/core/official/parsers';
import type { OfficialReport, OfficialState } from '../../src/core/official/types';
import { SERVICE_IDS, type ServiceId } from '../../src/core/services';

type Kind = OfficialSource['kind'];
const KINDS = Object.keys(OFFICIAL_PARSERS) as Kind[];
const STATES: readonly OfficialState[] = ['operational', 'minor', 'major', 'maintenance', 'unknown'];
/** Each parser reads the hostile corpus as the service it normally serves. */
const SERVICE_OF: Readonly<Record<Kind, ServiceId>> = {
  statuspage: 'discord',
  'slack-status': 'slack',
  'signal-uptime-dns': 'signal',
  'google-workspace': 'meet',
};
// biome-ignore lint/suspicious/noControlCharactersInRegex: asserting that control characters are gone
const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;
const TIME_LIMIT_MS = 1000;

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/official/${name}`, import.meta.url), 'utf8');

/** What every report must look like, whatever the document was. */
function expectSafe(report: OfficialReport, kind: Kind, service: ServiceId, label: string): void {
  expect(report.service, label).toBe(service);
  expect(report.source, label).toBe(kind);
  expect(STATES, label).toContain(report.state);
  if (report.title !== null) {
    expect(typeof report.title, label).toBe('string');
    expect(report.title.length, label).toBeGreaterThan(0);
    expect(report.title.length, label).toBeLessThanOrEqual(140);
    expect(report.title, label).not.toMatch(UNSAFE_TEXT);
    expect(report.title, label).toBe(report.title.trim());
  }
  if (report.state === 'unknown') {
    expect(report.title, label).toBeNull();
    expect(typeof report.problem, label).toBe('string');
    expect(report.problem?.length ?? 0, label).toBeGreaterThan(0);
    expect(report.problem?.length ?? 0, label).toBeLessThanOrEqual(100);
    expect(report.problem ?? '', label).not.toMatch(UNSAFE_TEXT);
  } else {
    expect(report.problem, label).toBeNull();
  }
}

describe('official parsers on recorded-style documents', () => {
  const RECORDED: {
    file: string;
    kind: Kind;
    service: ServiceId;
    state: OfficialState;
    title: string | null;
  }[] = [
    {
      file: 'discord-summary-operational.json',
      kind: 'statuspage',
      service: 'discord',
      state: 'operational',
      title: null,
    },
    {
      file: 'discord-summary-api-major.json',
      kind: 'statuspage',
      service: 'discord',
      state: 'major',
      title: 'Messages failing to send',
    },
    {
      file: 'discord-summary-voice-partial.json',
      kind: 'statuspage',
      service: 'discord',
      state: 'minor',
      title: 'Voice connection issues in Rotterdam',
    },
    {
      file: 'discord-summary-voice-region-major.json',
      kind: 'statuspage',
      service: 'discord',
      state: 'minor',
      title: 'US East voice servers unavailable',
    },
    {
      // The same page added by the user for a service without a component list: every component counts.
      file: 'discord-summary-voice-region-major.json',
      kind: 'statuspage',
      service: 'teams',
      state: 'major',
      title: 'US East voice servers unavailable',
    },
    {
      file: 'discord-summary-maintenance.json',
      kind: 'statuspage',
      service: 'discord',
      state: 'maintenance',
      title: 'Scheduled maintenance of the payments platform',
    },
    { file: 'zoom-status-minor.json', kind: 'statuspage', service: 'teams', state: 'minor', title: null },
    { file: 'zoom-status-minor.json', kind: 'statuspage', service: 'zoom', state: 'minor', title: null },
    // Open Gmail incidents and a resolved Meet one are not Meet's problem now.
    {
      file: 'workspace-meet-operational.json',
      kind: 'google-workspace',
      service: 'meet',
      state: 'operational',
      title: null,
    },
    {
      file: 'workspace-meet-disruption.json',
      kind: 'google-workspace',
      service: 'meet',
      state: 'minor',
      title: 'Some users may see degraded video quality in Google Meet',
    },
    {
      // An outage filed under "Multiple Products" that lists Meet among its affected products.
      file: 'workspace-meet-outage.json',
      kind: 'google-workspace',
      service: 'meet',
      state: 'major',
      title: 'Users cannot join meetings or load chats',
    },
    { file: 'slack-ok.json', kind: 'slack-status', service: 'slack', state: 'operational', title: null },
    {
      file: 'slack-outage-messaging.json',
      kind: 'slack-status',
      service: 'slack',
      state: 'major',
      title: 'Users are unable to send or load messages',
    },
    {
      file: 'slack-incident-huddles.json',
      kind: 'slack-status',
      service: 'slack',
      state: 'minor',
      title: 'Some users are unable to join huddles',
    },
    {
      file: 'slack-maintenance-notice.json',
      kind: 'slack-status',
      service: 'slack',
      state: 'maintenance',
      title: 'Scheduled maintenance for Slack Enterprise Grid workspaces',
    },
    {
      file: 'doh-google-up.json',
      kind: 'signal-uptime-dns',
      service: 'signal',
      state: 'operational',
      title: null,
    },
    {
      file: 'doh-google-outage.json',
      kind: 'signal-uptime-dns',
      service: 'signal',
      state: 'major',
      title: null,
    },
    {
      file: 'doh-cloudflare-up.json',
      kind: 'signal-uptime-dns',
      service: 'signal',
      state: 'operational',
      title: null,
    },
    {
      file: 'doh-cloudflare-outage.json',
      kind: 'signal-uptime-dns',
      service: 'signal',
      state: 'major',
      title: null,
    },
    {
      file: 'doh-google-nxdomain.json',
      kind: 'signal-uptime-dns',
      service: 'signal',
      state: 'unknown',
      title: null,
    },
  ];

  it.each(RECORDED)('reads $file as $state for $service', ({ file, kind, service, state, title }) => {
    const report = OFFICIAL_PARSERS[kind](fixture(file), service);
    expectSafe(report, kind, service, file);
    expect(report.state).toBe(state);
    expect(report.title).toBe(title);
  });

  it.each(RECORDED)('reads $file as unknown with the parsers of the other formats', ({ file, kind }) => {
    for (const other of KINDS.filter((k) => k !== kind)) {
      const report = OFFICIAL_PARSERS[other](fixture(file), SERVICE_OF[other]);
      expectSafe(report, other, SERVICE_OF[other], `${file} as ${other}`);
      expect(report.state, `${file} as ${other}`).toBe('unknown');
    }
  });

  it('explains an NXDOMAIN answer', () => {
    expect(parseSignalUptime(fixture('doh-google-nxdomain.json'), 'signal').problem).toBe(
      'no such name (NXDOMAIN)',
    );
  });
});

describe('Statuspage severity rules', () => {
  const page = (doc: object): string => JSON.stringify({ status: { indicator: 'none' }, ...doc });

  it.each([
    { why: 'a major incident with no component list', impact: 'major', state: 'major' },
    { why: 'a critical incident', impact: 'critical', state: 'major' },
    { why: 'a minor incident', impact: 'minor', state: 'minor' },
    { why: 'an incident without impact', impact: 'none', state: 'minor' },
  ] as const)('rates $why as $state', ({ impact, state }) => {
    const body = page({ incidents: [{ name: 'Trouble', impact, status: 'investigating' }] });
    expect(parseStatuspage(body, 'discord')).toMatchObject({ state, title: 'Trouble' });
  });

  it('ignores resolved and postmortem incidents that are still listed', () => {
    const body = page({
      incidents: [
        { name: 'Old', impact: 'critical', status: 'resolved' },
        { name: 'Older', impact: 'major', status: 'postmortem' },
      ],
    });
    expect(parseStatuspage(body, 'discord')).toMatchObject({ state: 'operational', title: null });
  });

  it('titles the report with the worst incident, not the first', () => {
    const body = page({
      incidents: [
        { name: 'Slow search', impact: 'minor', status: 'monitoring' },
        { name: 'Messages not delivered', impact: 'major', status: 'identified' },
      ],
    });
    expect(parseStatuspage(body, 'discord')).toMatchObject({
      state: 'major',
      title: 'Messages not delivered',
    });
  });

  it('treats a major outage of a messaging component as major, of another Discord component as minor', () => {
    const outage = (name: string) =>
      JSON.stringify({ status: { indicator: 'major' }, components: [{ name, status: 'major_outage' }] });
    for (const name of ['API', 'Gateway', 'Media Proxy', 'Push Notifications', 'CloudFlare'])
      expect(parseStatuspage(outage(name), 'discord').state, name).toBe('major');
    for (const name of ['Voice', 'US East', 'Search', 'Payments'])
      expect(parseStatuspage(outage(name), 'discord').state, name).toBe('minor');
    expect(parseStatuspage(outage('Voice'), 'whatsapp').state).toBe('major');
  });

  it('keeps a major incident scoped to a voice region minor for Discord', () => {
    const body = page({
      incidents: [
        { name: 'Voice down', impact: 'critical', status: 'identified', components: [{ name: 'Sydney' }] },
      ],
    });
    expect(parseStatuspage(body, 'discord').state).toBe('minor');
    expect(parseStatuspage(body, 'telegram').state).toBe('major');
  });

  it('reports an in-progress maintenance only when nothing is worse', () => {
    const maintenance = { name: 'Database upgrade', status: 'in_progress' };
    expect(parseStatuspage(page({ scheduled_maintenances: [maintenance] }), 'discord')).toMatchObject({
      state: 'maintenance',
      title: 'Database upgrade',
    });
    const both = page({
      scheduled_maintenances: [maintenance],
      incidents: [{ name: 'Login errors', impact: 'minor', status: 'investigating' }],
    });
    expect(parseStatuspage(both, 'discord')).toMatchObject({ state: 'minor', title: 'Login errors' });
    const later = page({ scheduled_maintenances: [{ name: 'Next week', status: 'scheduled' }] });
    expect(parseStatuspage(later, 'discord')).toMatchObject({ state: 'operational', title: null });
  });

  it('reads a status.json maintenance indicator as maintenance, not an outage', () => {
    expect(parseStatuspage('{"status":{"indicator":"maintenance"}}', 'discord').state).toBe('maintenance');
  });
});

describe('Slack severity rules', () => {
  const doc = (incident: object): string =>
    JSON.stringify({
      status: 'active',
      active_incidents: [{ title: 'Trouble', status: 'active', ...incident }],
    });

  it.each([
    { why: 'an outage on Messaging', type: 'outage', services: ['Messaging'], state: 'major' },
    { why: 'an outage on Login/SSO', type: 'outage', services: ['Login/SSO', 'Search'], state: 'major' },
    { why: 'an outage naming no service', type: 'outage', services: [], state: 'major' },
    { why: 'an outage on Files only', type: 'outage', services: ['Files'], state: 'minor' },
    { why: 'an outage on Workflows only', type: 'outage', services: ['Workflows'], state: 'minor' },
    { why: 'an incident on Messaging', type: 'incident', services: ['Messaging'], state: 'minor' },
    { why: 'a notice on Connectivity', type: 'notice', services: ['Connectivity'], state: 'minor' },
  ] as const)('rates $why as $state', ({ type, services, state }) => {
    expect(parseSlackStatus(doc({ type, services }), 'slack')).toMatchObject({ state, title: 'Trouble' });
  });

  it('ignores a resolved incident still in the list', () => {
    const body = JSON.stringify({
      status: 'ok',
      active_incidents: [{ title: 'Fixed', type: 'outage', status: 'resolved', services: ['Messaging'] }],
    });
    expect(parseSlackStatus(body, 'slack')).toMatchObject({ state: 'operational', title: null });
  });
});

describe('Google Workspace rules', () => {
  const incident = (fields: Record<string, unknown>) => ({
    begin: '2026-11-23T08:00:00+00:00',
    service_name: 'Google Meet',
    external_desc: 'Meet problem',
    ...fields,
  });
  const stateOf = (...incidents: Record<string, unknown>[]) =>
    parseGoogleWorkspace(JSON.stringify(incidents), 'meet').state;

  it.each([
    { label: 'an open outage', fields: { status_impact: 'SERVICE_OUTAGE' }, state: 'major' },
    { label: 'an open disruption', fields: { status_impact: 'SERVICE_DISRUPTION' }, state: 'minor' },
    {
      label: 'an information notice',
      fields: { status_impact: 'SERVICE_INFORMATION' },
      state: 'operational',
    },
    { label: 'high severity without impact', fields: { severity: 'high' }, state: 'major' },
    { label: 'neither impact nor severity', fields: {}, state: 'minor' },
    {
      label: 'an ended outage',
      fields: { status_impact: 'SERVICE_OUTAGE', end: '2026-11-23T09:00:00+00:00' },
      state: 'operational',
    },
    { label: 'a null end', fields: { status_impact: 'SERVICE_OUTAGE', end: null }, state: 'major' },
    {
      label: 'an outage whose last update says available',
      fields: { status_impact: 'SERVICE_OUTAGE', most_recent_update: { status: 'AVAILABLE' } },
      state: 'operational',
    },
    {
      label: 'another product',
      fields: { service_name: 'Gmail', status_impact: 'SERVICE_OUTAGE' },
      state: 'operational',
    },
    {
      label: 'Meet among the affected products',
      fields: {
        service_name: 'Multiple Products',
        status_impact: 'SERVICE_OUTAGE',
        affected_products: [{ title: 'google meet' }],
      },
      state: 'major',
    },
  ] as const)('rates $label as $state', ({ fields, state }) => {
    expect(stateOf(incident(fields))).toBe(state);
  });

  it('skips one malformed incident alone, and is unknown when no incident reads', () => {
    const odd = { service_name: null, begin: '2020-01-01T00:00:00+00:00' };
    expect(stateOf(odd, incident({ status_impact: 'SERVICE_OUTAGE' }))).toBe('major');
    expect(stateOf(odd)).toBe('unknown');
    expect(parseGoogleWorkspace('{"incidents":[]}', 'meet')).toMatchObject({ state: 'unknown' });
  });

  it('is unknown for a service that is not a Workspace product', () => {
    expect(parseGoogleWorkspace('[]', 'zoom')).toMatchObject({ state: 'unknown' });
  });
});

describe('official parsers registry', () => {
  it('has a parser for every source kind in the catalog', () => {
    for (const id of SERVICE_IDS) {
      const source: OfficialSource | null = CATALOG[id].official;
      if (source) expect(typeof OFFICIAL_PARSERS[source.kind], id).toBe('function');
    }
  });

  it('reads Signal through Google DNS-over-HTTPS and the status pages at their own address', () => {
    expect(officialUrl({ kind: 'signal-uptime-dns', name: 'uptime.signal.org' })).toBe(
      'https://dns.google/resolve?name=uptime.signal.org&type=A&edns_client_subnet=0.0.0.0/0',
    );
    expect(officialUrl(CATALOG.signal.official)).toBe(SIGNAL_UPTIME_DOH);
    expect(officialUrl(CATALOG.discord.official)).toBe('https://discordstatus.com/api/v2/summary.json');
    expect(officialUrl(CATALOG.slack.official)).toBe('https://slack-status.com/api/v2.0.0/current');
    expect(officialUrl(CATALOG.zoom.official)).toBe('https://www.zoomstatus.com/api/v2/summary.json');
    expect(officialUrl(CATALOG.meet.official)).toBe(
      'https://www.google.com/appsstatus/dashboard/incidents.json',
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// The hostile corpus: test/fixtures/official/hostile/cases.json. A case has a `body`, or `parts` joined
// into one (a string, or `{repeat, times, separator?}` for the big ones). `state`, `title` and `problem`
// hold what a parser must say; a parser a case does not name must answer 'unknown'.

const PerKind = <T extends v.GenericSchema>(schema: T) =>
  v.optional(
    v.strictObject({
      statuspage: v.optional(schema),
      'slack-status': v.optional(schema),
      'signal-uptime-dns': v.optional(schema),
      'google-workspace': v.optional(schema),
    }),
  );
const HostileCase = v.strictObject({
  name: v.string(),
  body: v.optional(v.string()),
  parts: v.optional(
    v.array(
      v.union([
        v.string(),
        v.strictObject({
          repeat: v.string(),
          times: v.pipe(v.number(), v.integer(), v.minValue(1)),
          separator: v.optional(v.string()),
        }),
      ]),
    ),
  ),
  state: PerKind(v.picklist(STATES)),
  title: PerKind(v.nullable(v.string())),
  problem: PerKind(v.string()),
});
type HostileCase = v.InferOutput<typeof HostileCase>;

const CORPUS = v.parse(v.array(HostileCase), JSON.parse(fixture('hostile/cases.json')));

function bodyOf(c: HostileCase): string {
  if (c.body !== undefined) return c.body;
  return (c.parts ?? [])
    .map((part) =>
      typeof part === 'string'
        ? part
        : Array.from({ length: part.times }, () => part.repeat).join(part.separator ?? ''),
    )
    .join('');
}

describe('official parsers on the hostile corpus', () => {
  it('holds at least 30 cases, each with exactly one body', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(30);
    for (const c of CORPUS) expect((c.body === undefined) !== (c.parts === undefined), c.name).toBe(true);
    expect(new Set(CORPUS.map((c) => c.name)).size).toBe(CORPUS.length);
  });

  it.each(CORPUS)('survives: $name', (c) => {
    const body = bodyOf(c);
    for (const kind of KINDS) {
      const service = SERVICE_OF[kind];
      const label = `${c.name} / ${kind}`;
      let report: OfficialReport | undefined;
      const started = performance.now();
      expect(() => {
        report = OFFICIAL_PARSERS[kind](body, service);
      }, label).not.toThrow();
      expect(performance.now() - started, label).toBeLessThan(TIME_LIMIT_MS);
      if (report === undefined) throw new Error(`${label}: no report`);
      expectSafe(report, kind, service, label);
      const expected = c.state?.[kind] ?? 'unknown';
      expect(report.state, label).toBe(expected);
      if (expected === 'unknown') expect(report.state, label).not.toBe('major');
      const title = c.title?.[kind];
      if (title !== undefined) expect(report.title, label).toBe(title);
      const problem = c.problem?.[kind];
      if (problem !== undefined) expect(report.problem, label).toBe(problem);
    }
  });

  it('leaves Object.prototype unpolluted after reading every case', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
    expect(Object.hasOwn(Object.prototype, 'indicator')).toBe(false);
  });
});
