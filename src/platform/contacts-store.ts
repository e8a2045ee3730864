import { type Contact, type ContactsReadResult, readContacts } from '../core/contacts';
import { browser } from './browser';

// Contacts stay in storage.local: never synced, never sent anywhere. Kept apart from storage.ts so
// the popup does not load the settings schemas just to read contacts.
const CONTACTS_KEY = 'contacts';

export async function loadContacts(): Promise<ContactsReadResult> {
  const raw = await browser.storage.local.get(CONTACTS_KEY);
  return readContacts(raw[CONTACTS_KEY]);
}

export async function saveContacts(contacts: readonly Contact[]): Promise<void> {
  await browser.storage.local.set({ [CONTACTS_KEY]: contacts });
}
