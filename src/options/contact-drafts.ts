import { readGroupLink } from '../core/backup-group';
import { type Contact, HANDLE_CHANNELS, type HandleChannel } from '../core/contacts';
import { validHandle } from './handle-field';

/** A contact as edited: any text in any field, checked only when it is saved. */
export interface ContactDraft {
  readonly id: string;
  readonly name: string;
  readonly handles: Readonly<Record<HandleChannel, string>>;
  /** The backup group's invite link as typed. */
  readonly group: string;
}

export function toDraft(contact: Contact): ContactDraft {
  const handles = Object.fromEntries(HANDLE_CHANNELS.map((c) => [c, contact.handles[c] ?? '']));
  return {
    id: contact.id,
    name: contact.name,
    handles: handles as ContactDraft['handles'],
    group: contact.group ?? '',
  };
}

export function emptyDraft(taken: readonly { id: string }[]): ContactDraft {
  return toDraft({ id: freshId(taken), name: '', handles: {} });
}

/** What gets stored: named contacts only, with their valid, non-empty handles and group link. */
export function fromDrafts(drafts: readonly ContactDraft[]): Contact[] {
  return drafts.flatMap((d) => {
    const name = d.name.trim();
    if (name === '') return [];
    const handles: Contact['handles'] = {};
    for (const channel of HANDLE_CHANNELS) {
      const handle = validHandle(channel, d.handles[channel]);
      if (handle !== undefined) handles[channel] = handle;
    }
    const group = readGroupLink(d.group);
    return [{ id: d.id, name, handles, ...(group ? { group } : {}) }];
  });
}

/**
 * Adds imported contacts to the list: an exact copy of a contact already there is skipped (so
 * importing the same file twice changes nothing), and a clashing id gets a new one.
 */
export function mergeImported(drafts: readonly ContactDraft[], imported: readonly Contact[]): ContactDraft[] {
  const out = [...drafts];
  const seen = new Set(fromDrafts(drafts).map(fingerprint));
  for (const contact of imported) {
    if (seen.has(fingerprint(contact))) continue;
    seen.add(fingerprint(contact));
    const id = out.some((d) => d.id === contact.id) ? freshId(out) : contact.id;
    out.push(toDraft({ ...contact, id }));
  }
  return out;
}

function fingerprint(c: Contact): string {
  return JSON.stringify([c.name, ...HANDLE_CHANNELS.map((ch) => c.handles[ch] ?? ''), c.group ?? '']);
}

/** An id that matches the stored format (letters, digits, _ and -) and is not in use. */
function freshId(taken: readonly { id: string }[]): string {
  for (let n = taken.length + 1; ; n++) {
    const id = `c${Date.now().toString(36)}-${n}`;
    if (!taken.some((t) => t.id === id)) return id;
  }
}
