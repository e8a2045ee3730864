/**
 * The user's own handles per channel (a phone number, a Telegram username, an email address), and the
 * rules each must follow: a handle becomes part of a link (tel:, mailto:, t.me/…), so only what that
 * channel allows gets through. Kept apart from the contact list (contacts.ts): settings read these on
 * the popup's first paint.
 */
export const HANDLE_CHANNELS = ['telegram', 'signal', 'whatsapp', 'phone', 'sms', 'email'] as const;
export type HandleChannel = (typeof HANDLE_CHANNELS)[number];
export type Handles = Partial<Record<HandleChannel, string>>;

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
