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
export type ServiceId = (typeof SERVICE_IDS)[number];

export const CONTACT_CHANNEL_IDS = ['phone', 'sms', 'email'] as const;
export type ContactChannelId = (typeof CONTACT_CHANNEL_IDS)[number];
export type ChannelId = ServiceId | ContactChannelId;
export const CHANNEL_IDS: readonly ChannelId[] = [...SERVICE_IDS, ...CONTACT_CHANNEL_IDS];

/** Names only: the popup's first paint needs them, not the rest of the catalog. */
export const SERVICE_NAMES: Readonly<Record<ServiceId, string>> = {
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

export function isServiceId(value: unknown): value is ServiceId {
  return typeof value === 'string' && (SERVICE_IDS as readonly string[]).includes(value);
}

export function isChannelId(value: unknown): value is ChannelId {
  return typeof value === 'string' && (CHANNEL_IDS as readonly string[]).includes(value);
}

export function serviceName(id: ServiceId): string {
  return SERVICE_NAMES[id];
}
