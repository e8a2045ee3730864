// The service catalog: everything Detour knows about each messaging service, as data.
// Probe targets are host names only (no IP literals): the user's resolver decides where they go,
// exactly as it does for the app itself. Sources: docs/signal-sources.md.

import type { CustomApp } from './custom-apps';
import { type CatalogId, isCatalogId, SERVICE_IDS, SERVICE_NAMES, type ServiceId } from './services';

export * from './services';

/** Services of one provider fail together (Meta's 2021 outage took all three down at once). */
export type ProviderId =
  | 'meta'
  | 'telegram'
  | 'signal'
  | 'discord'
  | 'slack'
  | 'microsoft'
  | 'rakuten'
  | 'ly'
  | 'pagebites'
  | 'zoom'
  | 'google';

export interface ProbeTarget {
  /** https URL; HEAD is used so a probe costs headers, not a page. */
  readonly url: string;
}

/** Official status sources (polled by a later stage; described here so the catalog is complete). */
export type OfficialSource =
  | { readonly kind: 'statuspage'; readonly url: string }
  | { readonly kind: 'slack-status'; readonly url: string }
  | { readonly kind: 'signal-uptime-dns'; readonly name: string }
  /** Google Workspace's incidents JSON: every product's incidents, read for one product (parsers.ts). */
  | { readonly kind: 'google-workspace'; readonly url: string };

export interface ServiceEntry {
  readonly id: CatalogId;
  readonly name: string;
  readonly provider: ProviderId;
  readonly probes: readonly ProbeTarget[];
  readonly official: OfficialSource | null;
  /** Where to send someone who needs this channel now. */
  readonly open: { readonly web: string | null; readonly app: string | null };
}

export const CATALOG = {
  whatsapp: {
    id: 'whatsapp',
    name: SERVICE_NAMES.whatsapp,
    provider: 'meta',
    // Any HTTP answer means reachable: WhatsApp may answer 400 to an unexpected client (OONI does the same).
    probes: [{ url: 'https://web.whatsapp.com/' }],
    official: null,
    open: { web: 'https://web.whatsapp.com/', app: 'whatsapp://send' },
  },
  messenger: {
    id: 'messenger',
    name: SERVICE_NAMES.messenger,
    provider: 'meta',
    probes: [{ url: 'https://www.messenger.com/' }],
    official: null,
    open: { web: 'https://www.messenger.com/', app: 'fb-messenger://' },
  },
  instagram: {
    id: 'instagram',
    name: SERVICE_NAMES.instagram,
    provider: 'meta',
    probes: [{ url: 'https://www.instagram.com/' }],
    official: null,
    open: { web: 'https://www.instagram.com/direct/inbox/', app: 'instagram://' },
  },
  telegram: {
    id: 'telegram',
    name: SERVICE_NAMES.telegram,
    provider: 'telegram',
    probes: [{ url: 'https://web.telegram.org/' }],
    official: null,
    open: { web: 'https://web.telegram.org/', app: 'tg://' },
  },
  signal: {
    id: 'signal',
    name: SERVICE_NAMES.signal,
    provider: 'signal',
    // chat.signal.org uses Signal's own root certificate, so a browser fetch may fail TLS while Signal
    // is up; the update CDN is a plain public host of the same operator.
    probes: [{ url: 'https://updates.signal.org/' }],
    official: { kind: 'signal-uptime-dns', name: 'uptime.signal.org' },
    open: { web: null, app: 'sgnl://' },
  },
  discord: {
    id: 'discord',
    name: SERVICE_NAMES.discord,
    provider: 'discord',
    probes: [{ url: 'https://discord.com/api/v10/gateway' }],
    official: { kind: 'statuspage', url: 'https://discordstatus.com/api/v2/summary.json' },
    open: { web: 'https://discord.com/app', app: 'discord://' },
  },
  slack: {
    id: 'slack',
    name: SERVICE_NAMES.slack,
    provider: 'slack',
    probes: [{ url: 'https://slack.com/api/api.test' }],
    official: { kind: 'slack-status', url: 'https://slack-status.com/api/v2.0.0/current' },
    open: { web: 'https://app.slack.com/client', app: 'slack://open' },
  },
  teams: {
    id: 'teams',
    name: SERVICE_NAMES.teams,
    provider: 'microsoft',
    // A redirect to the login page still means reachable.
    probes: [{ url: 'https://teams.live.com/' }],
    official: null,
    open: { web: 'https://teams.live.com/', app: 'msteams://' },
  },
  viber: {
    id: 'viber',
    name: SERVICE_NAMES.viber,
    provider: 'rakuten',
    // Viber has no web client: its own site, same operator, is what a browser can reach.
    probes: [{ url: 'https://www.viber.com/' }],
    official: null,
    open: { web: 'https://www.viber.com/en/download/', app: 'viber://chats' },
  },
  line: {
    id: 'line',
    name: SERVICE_NAMES.line,
    provider: 'ly',
    probes: [{ url: 'https://line.me/' }],
    official: null,
    open: { web: 'https://line.me/', app: 'line://' },
  },
  imo: {
    id: 'imo',
    name: SERVICE_NAMES.imo,
    provider: 'pagebites',
    probes: [{ url: 'https://imo.im/' }],
    official: null,
    open: { web: 'https://imo.im/', app: null },
  },
  zoom: {
    id: 'zoom',
    name: SERVICE_NAMES.zoom,
    provider: 'zoom',
    probes: [{ url: 'https://zoom.us/' }],
    official: { kind: 'statuspage', url: 'https://www.zoomstatus.com/api/v2/summary.json' },
    open: { web: 'https://app.zoom.us/wc', app: 'zoommtg://' },
  },
  meet: {
    id: 'meet',
    name: SERVICE_NAMES.meet,
    provider: 'google',
    // Without a Google cookie the page redirects to Workspace's product page: still reachable.
    probes: [{ url: 'https://meet.google.com/' }],
    official: {
      kind: 'google-workspace',
      url: 'https://www.google.com/appsstatus/dashboard/incidents.json',
    },
    open: { web: 'https://meet.google.com/', app: null },
  },
} as const satisfies Record<CatalogId, ServiceEntry>;

/** What checking and opening any app needs: a catalog entry, or one of the user's own apps. */
export interface AppEntry {
  readonly name: string;
  /** A user's app is its own provider: it fails with no other. */
  readonly provider: ProviderId | ServiceId;
  readonly probes: readonly ProbeTarget[];
  readonly official: OfficialSource | null;
  readonly open: ServiceEntry['open'];
}

/**
 * The entry of a service: the catalog's, or one built from the user's app in `apps` (the settings'
 * `customApps`); null for an app of the user's that they no longer hold.
 */
export function appEntry(id: ServiceId, apps: readonly CustomApp[]): AppEntry | null {
  if (isCatalogId(id)) return CATALOG[id];
  const app = apps.find((a) => a.id === id);
  if (!app) return null;
  return {
    name: app.name,
    provider: app.id,
    probes: [{ url: app.url }],
    official: app.statusUrl ? { kind: 'statuspage', url: app.statusUrl } : null,
    open: { web: app.openUrl ?? app.url, app: null },
  };
}

/** Apps of one provider fail together; a user's own app is a provider of its own (no entry needed). */
export function providerOf(id: ServiceId): ProviderId | ServiceId {
  return isCatalogId(id) ? CATALOG[id].provider : id;
}

/**
 * Connectivity controls: endpoints of different operators that answer 204 with an empty body.
 * If they fail too, the problem is the user's connection, not the service.
 */
export const CONTROL_TARGETS = [
  { id: 'google', url: 'https://www.gstatic.com/generate_204' },
  { id: 'cloudflare', url: 'https://cp.cloudflare.com/generate_204' },
] as const satisfies readonly { id: string; url: string }[];

/**
 * Captive-portal checks must be plain HTTP (a portal can only intercept unencrypted traffic) and need
 * host permission to read the body; without it they are skipped.
 */
export const PORTAL_CHECK = {
  url: 'http://detectportal.firefox.com/success.txt',
  expectedBody: 'success\n',
} as const;

/**
 * A DNS A record through Google's DNS-over-HTTPS JSON API. `edns_client_subnet=0.0.0.0/0` asks the
 * resolver not to pass a piece of the user's address (EDNS Client Subnet) on to the name's servers:
 * the answer is the same everywhere, and Signal's servers need not learn where the asker is.
 */
export function dnsOverHttpsUrl(name: string): string {
  return `https://dns.google/resolve?name=${encodeURIComponent(name)}&type=A&edns_client_subnet=0.0.0.0/0`;
}

/** Where the official signal of a source kind is read (Signal's DNS record through DNS-over-HTTPS). */
export const SIGNAL_UPTIME_DOH = dnsOverHttpsUrl('uptime.signal.org');

/** Origin match patterns of every probe target and status page: the optional host permissions. */
export function probeOriginPatterns(): string[] {
  const official = SERVICE_IDS.map((id) => CATALOG[id].official as OfficialSource | null).flatMap((o) =>
    o === null ? [] : [o.kind === 'signal-uptime-dns' ? SIGNAL_UPTIME_DOH : o.url],
  );
  const urls = [
    ...SERVICE_IDS.flatMap((id) => CATALOG[id].probes.map((p) => p.url)),
    ...CONTROL_TARGETS.map((c) => c.url),
    PORTAL_CHECK.url,
    ...official,
  ];
  return [...new Set(urls.map((u) => `${new URL(u).origin}/*`))];
}
