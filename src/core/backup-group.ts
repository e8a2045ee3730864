/**
 * A contact's backup group: the invite link of a group on another app (the family group on Signal or
 * Telegram), opened in one click from the popup when the main app is down. The link is stored on the
 * device with the contact and never sent anywhere. Only the invite forms the apps themselves hand out
 * get through, checked whole (no user name or password, no other host, nothing after the code): the
 * link is put in an `href`, so whatever passes here is what the user's browser will open.
 */
export type GroupApp = 'signal' | 'telegram';

/** Why a pasted link is refused (the settings page says it in words: src/options/group-field.tsx). */
export type GroupLinkProblem = 'not-a-link' | 'not-an-invite';

// Signal: https://signal.group/#<group master key and password, base64url>. Telegram: private
// invites, https://t.me/+<code> (since 2021) and the older https://t.me/joinchat/<code>, also under
// telegram.me. Public groups (t.me/<name>) are not invites: anyone can find them, and a user name
// is a person or a channel as often as a group.
const INVITES: readonly (readonly [GroupApp, RegExp])[] = [
  ['signal', /^https:\/\/signal\.group\/#[A-Za-z0-9_-]{20,400}={0,2}$/],
  ['telegram', /^https:\/\/(?:t|telegram)\.me\/(?:\+|joinchat\/)[A-Za-z0-9_-]{8,64}$/],
];

export const MAX_GROUP_LINK_LENGTH = 512;

/** The app a group invite link opens, or null when it is not one of the known invite forms. */
export function groupApp(link: string): GroupApp | null {
  const trimmed = link.trim();
  if (trimmed.length > MAX_GROUP_LINK_LENGTH) return null;
  return INVITES.find(([, form]) => form.test(trimmed))?.[0] ?? null;
}

/** What is wrong with a pasted link; null when it is a known invite form or empty (no group). */
export function groupLinkProblem(value: string): GroupLinkProblem | null {
  const trimmed = value.trim();
  if (trimmed === '' || groupApp(trimmed) !== null) return null;
  return /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(trimmed) ? 'not-an-invite' : 'not-a-link';
}

/** A stored or imported group link: the trimmed link when it is a known invite, else undefined. */
export function readGroupLink(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const trimmed = raw.trim();
  return groupApp(trimmed) !== null ? trimmed : undefined;
}
