import { readGroupLink } from './backup-group';
import { appEntry } from './catalog';
import type { CustomApp } from './custom-apps';
import { type Handles, readHandles } from './handles';
import { type ChannelId, isServiceId } from './services';

export * from './handles';

/**
 * People the user wants to reach when the primary app is down, with their handle per channel. Kept in
 * storage.local only, never sent anywhere. Every handle is validated: a handle becomes part of a link
 * (tel:, mailto:, t.me/…), so only the characters that channel allows get through.
 */
export interface Contact {
  readonly id: string;
  readonly name: string;
  readonly handles: Handles;
  /** The invite link of a backup group with them on another app (backup-group.ts), if any. */
  readonly group?: string;
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
    // A bad group link is dropped, not the contact: their handles still reach them.
    const group = readGroupLink((entry as { group?: unknown }).group);
    contacts.push({ id, name: name.trim(), handles, ...(group ? { group } : {}) });
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
  apps: readonly CustomApp[],
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
      // Any other app opens where its catalog entry says; a user's own app at its link (or the address
      // Detour checks).
      return (isServiceId(channel) && appEntry(channel, apps)?.open) || { web: null, app: null };
  }
}
