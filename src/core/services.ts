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
 * A service's name: the catalog's, or that of an app of the user's own as `apps` (the settings'
 * `customApps`) hold it. Passed in, not remembered here, so every text is a function of its inputs; an
 * app the settings no longer hold is named by its slug. Typed loosely: custom-apps.ts has the full type.
 */
export function serviceName(
  id: ServiceId,
  apps: readonly { readonly id: string; readonly name: string }[],
): string {
  return isCatalogId(id) ? SERVICE_NAMES[id] : (apps.find((a) => a.id === id)?.name ?? id.slice(7));
}
