import type { ChannelId } from './catalog';

/**
 * People the user wants to reach when the primary app is down, with their handle per channel. Kept in
 * storage.local only, never sent anywhere. Every handle is validated: a handle becomes part of a link
 * (tel:, mailto:, t.me/…), so only the characters that channel allows get through.
 */
export const HANDLE_CHANNELS = ['telegram', 'signal', 'whatsapp', 'phone', 'sms', 'email'] as const;
export type HandleChannel = (typeof HANDLE_CHANNELS)[number];
export type Handles = Partial<Record<HandleChannel, string>>;

export interface Contact {
  readonly id: string;
  readonly name: string;
  readonly handles: Handles;
}

// Plain rules, not a schema library: this module is on the popup's first paint.
const PHONE = { pattern: /^\+?[0-9 ()-]{5,20}$/, problem: 'a phone number like +39 333 123 4567' };
const HANDLE_RULES: Record<HandleChannel, { pattern: RegExp; problem: string }> = {
  telegram: { pattern: /^@?[A-Za-z0-9_]{5,32}$/, problem: 'a Telegram username like @maria_rossi' },
  signal: PHONE,
  whatsapp: PHONE,
  phone: PHONE,
  sms: PHONE,
  email: {
    pattern: /^[^\s@<>"']{1,64}@[^\s@<>"']+\.[^\s@<>"']{2,}$/,
    problem: 'an email address like maria@example.org',
  },
};

/** The problem with a handle, or null when it is fine (surrounding spaces are ignored). */
export function handleProblem(channel: HandleChannel, value: string): string | null {
  const trimmed = value.trim();
  const rule = HANDLE_RULES[channel];
  return trimmed.length <= 254 && rule.pattern.test(trimmed) ? null : rule.problem;
}

/** Reads handles, dropping the ones that fail their channel's rule (and empty ones). */
export function readHandles(raw: unknown): Handles {
  if (typeof raw !== 'object' || raw === null) return {};
  const out: Handles = {};
  for (const channel of HANDLE_CHANNELS) {
    const value = (raw as Record<string, unknown>)[channel];
    if (typeof value !== 'string' || value.trim() === '') continue;
    if (handleProblem(channel, value) === null) out[channel] = value.trim();
  }
  return out;
}

export interface ContactsReadResult {
  readonly contacts: readonly Contact[];
  /** Entries that could not be read (shown to the user as a count, never thrown). */
  readonly dropped: number;
}

export const MAX_CONTACTS = 200;

/** Reads a stored or imported contact list; a bad entry is dropped, the rest survive. */
export function readContacts(raw: unknown): ContactsReadResult {
  if (raw === undefined || raw === null) return { contacts: [], dropped: 0 };
  const list = Array.isArray(raw) ? raw : (raw as { contacts?: unknown })?.contacts;
  if (!Array.isArray(list)) return { contacts: [], dropped: 1 };
  const contacts: Contact[] = [];
  let dropped = 0;
  for (const entry of list.slice(0, MAX_CONTACTS)) {
    const name = (entry as { name?: unknown })?.name;
    if (typeof name !== 'string' || name.trim() === '' || name.length > 80) {
      dropped++;
      continue;
    }
    const handles = readHandles((entry as { handles?: unknown }).handles);
    const rawId = (entry as { id?: unknown }).id;
    const id =
      typeof rawId === 'string' && /^[A-Za-z0-9_-]{1,40}$/.test(rawId) ? rawId : `c${contacts.length + 1}`;
    contacts.push({ id, name: name.trim(), handles });
  }
  return { contacts, dropped: dropped + Math.max(0, list.length - MAX_CONTACTS) };
}

/** The export file: a versioned JSON document the import reads back. */
export function exportContacts(contacts: readonly Contact[]): string {
  return `${JSON.stringify({ version: 1, contacts }, null, 2)}\n`;
}

/** Links that open a channel for a handle, or the channel itself without one. */
export function channelLinks(
  channel: ChannelId,
  handle: string | undefined,
): { web: string | null; app: string | null } {
  const digits = handle?.replace(/[^0-9+]/g, '') ?? '';
  const user = handle?.replace(/^@/, '') ?? '';
  switch (channel) {
    case 'telegram':
      return handle
        ? {
            web: `https://t.me/${encodeURIComponent(user)}`,
            app: `tg://resolve?domain=${encodeURIComponent(user)}`,
          }
        : { web: 'https://web.telegram.org/', app: 'tg://' };
    case 'signal':
      return handle
        ? { web: `https://signal.me/#p/${digits}`, app: `sgnl://signal.me/#p/${digits}` }
        : { web: null, app: 'sgnl://' };
    case 'whatsapp':
      return handle
        ? { web: `https://wa.me/${digits.replace('+', '')}`, app: `whatsapp://send?phone=${digits}` }
        : { web: 'https://web.whatsapp.com/', app: 'whatsapp://send' };
    case 'phone':
      return { web: null, app: `tel:${digits}` };
    case 'sms':
      return { web: null, app: `sms:${digits}` };
    case 'email':
      return { web: null, app: `mailto:${handle ? encodeURIComponent(handle).replace('%40', '@') : ''}` };
    default:
      return { web: null, app: null };
  }
}
