/**
 * The user's own handles per channel (a phone number, a Telegram username, an email address), and the
 * rules each must follow: a handle becomes part of a link (tel:, mailto:, t.me/…), so only what that
 * channel allows gets through. Kept apart from the contact list (contacts.ts): settings read these on
 * the popup's first paint.
 */
export const HANDLE_CHANNELS = ['telegram', 'signal', 'whatsapp', 'phone', 'sms', 'email'] as const;
export type HandleChannel = (typeof HANDLE_CHANNELS)[number];
export type Handles = Partial<Record<HandleChannel, string>>;

// Plain rules, not a schema library: this module is on the popup's first paint. (What the user is told
// about a bad handle is a localized message of the settings page: src/options/handle-field.tsx.)
const PHONE = /^\+?[0-9 ()-]{5,20}$/;
const HANDLE_RULES: Record<HandleChannel, RegExp> = {
  telegram: /^@?[A-Za-z0-9_]{5,32}$/,
  signal: PHONE,
  whatsapp: PHONE,
  phone: PHONE,
  sms: PHONE,
  email: /^[^\s@<>"']{1,64}@[^\s@<>"']+\.[^\s@<>"']{2,}$/,
};

/** Whether a handle follows its channel's rule (surrounding spaces are ignored). */
export function isValidHandle(channel: HandleChannel, value: string): boolean {
  const trimmed = value.trim();
  return trimmed.length <= 254 && HANDLE_RULES[channel].test(trimmed);
}

/** Reads handles, dropping the ones that fail their channel's rule (and empty ones). */
export function readHandles(raw: unknown): Handles {
  if (typeof raw !== 'object' || raw === null) return {};
  const out: Handles = {};
  for (const channel of HANDLE_CHANNELS) {
    const value = (raw as Record<string, unknown>)[channel];
    if (typeof value !== 'string' || value.trim() === '') continue;
    if (isValidHandle(channel, value)) out[channel] = value.trim();
  }
  return out;
}
