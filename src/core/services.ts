// The ids and names of the services and channels: all the popup's first paint needs of the catalog
// (src/core/catalog.ts holds the rest: probe targets, status sources, links).

export const SERVICE_IDS = [
  'whatsapp',
  'messenger',
  'instagram',
  'telegram',
  'signal',
  'discord',
  'slack',
  'teams',
  'viber',
  'line',
  'imo',
  'zoom',
  'meet',
] as const;
/** The catalog's services: the only ones the feed knows. */
export type CatalogId = (typeof SERVICE_IDS)[number];
/** An app the user added in the settings (src/core/custom-apps.ts): checked on this device only. */
export type CustomAppId = `custom-${string}`;
/** Anything Detour checks: a catalog service or an app of the user's own. */
export type ServiceId = CatalogId | CustomAppId;

export const CONTACT_CHANNEL_IDS = ['phone', 'sms', 'email'] as const;
export type ContactChannelId = (typeof CONTACT_CHANNEL_IDS)[number];
export type ChannelId = ServiceId | ContactChannelId;
export const CHANNEL_IDS: readonly ChannelId[] = [...SERVICE_IDS, ...CONTACT_CHANNEL_IDS];

/** Names only: the popup's first paint needs them, not the rest of the catalog. */
export const SERVICE_NAMES: Readonly<Record<CatalogId, string>> = {
  whatsapp: 'WhatsApp',
  messenger: 'Messenger',
  instagram: 'Instagram',
  telegram: 'Telegram',
  signal: 'Signal',
  discord: 'Discord',
  slack: 'Slack',
  teams: 'Microsoft Teams',
  viber: 'Viber',
  line: 'LINE',
  imo: 'imo',
  zoom: 'Zoom',
  meet: 'Google Meet',
};

export function isCatalogId(value: unknown): value is CatalogId {
  return typeof value === 'string' && (SERVICE_IDS as readonly string[]).includes(value);
}

/** `custom-` and a slug: lower-case letters and digits in groups joined by `-` (custom-apps.ts makes them). */
export function isCustomAppId(value: unknown): value is CustomAppId {
  return typeof value === 'string' && value.length <= 48 && /^custom-[a-z0-9]+(-[a-z0-9]+)*$/.test(value);
}

export function isServiceId(value: unknown): value is ServiceId {
  return isCatalogId(value) || isCustomAppId(value);
}

export function isChannelId(value: unknown): value is ChannelId {
  return (
    isCustomAppId(value) || (typeof value === 'string' && (CHANNEL_IDS as readonly string[]).includes(value))
  );
}

/** The service ids among a stored record's keys: the catalog's first, then the user's apps. */
export function serviceIdsOf(record: object): ServiceId[] {
  return [...SERVICE_IDS, ...Object.keys(record).filter(isCustomAppId)];
}

/**
 * The user's own apps as the settings read last in this page or worker hold them (the platform's
 * settings loaders keep them here, src/platform/view-store.ts readStoredSettings; readSettings stays pure), so names (`serviceName`) and the catalog's lookups (catalog.ts `appEntry`) find them
 * without passing settings to every text. Typed loosely here: custom-apps.ts has the full type.
 */
let known: readonly CustomAppLike[] = [];
interface CustomAppLike {
  readonly id: CustomAppId;
  readonly name: string;
}
export function rememberCustomApps(apps: readonly CustomAppLike[]): void {
  known = apps;
}
export const customAppOf = <T extends CustomAppLike>(id: ServiceId) =>
  known.find((a) => a.id === id) as T | undefined;

export function serviceName(id: ServiceId): string {
  return isCatalogId(id) ? SERVICE_NAMES[id] : (customAppOf(id)?.name ?? id.slice(7));
}
