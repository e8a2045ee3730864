// The client id sent with a problem report, as pure functions (the HMAC itself is in
// src/platform/client-id.ts, the clock is an argument).
//
// Why not one random id kept forever: the same id at every feed, every day, would let feeds compare
// notes, and one feed follow a reporter over months. The server's dedupe (one report per client per
// service per 30 minutes) needs an id that holds for half an hour, nothing more. So the id is
// HMAC-SHA-256(secret, "<feed origin>\n<UTC day number>"), cut to 16 bytes: stable for a day at one
// feed, unrelated across feeds and across days, and the secret (32 random bytes) never leaves the
// device. Around UTC midnight a reporter can count twice within 30 minutes; that is the price.

export const DAY_MS = 24 * 60 * 60_000;
/** Bytes of the local secret the ids are derived from. */
export const CLIENT_SECRET_BYTES = 32;
/** Bytes of the HMAC kept: 128 bits, 22 base64url characters (the feed takes 16–64 of A-Za-z0-9_-). */
export const CLIENT_ID_BYTES = 16;

/** Days since 1970-01-01 in UTC: the id changes when this does, at UTC midnight. */
export function utcDay(now: number): number {
  return Math.floor(now / DAY_MS);
}

/**
 * What the secret signs for a report sent to `feedUrl` at `now`: the feed's origin (scheme, host and
 * port, so `https://feed.example.org/v1/reports` and `https://FEED.example.org:443/` are one feed) and
 * the UTC day. Throws on a value that is not a URL (the caller has one from feedReportUrl).
 */
export function clientIdMessage(feedUrl: string, now: number): string {
  return `${new URL(feedUrl).origin}\n${utcDay(now)}`;
}

/**
 * What the secret signs for the day's sampling draw (src/core/observe.ts): the UTC day alone, behind a
 * label no feed origin can take (an origin has no "#"), so the draw is never a client id. One draw per
 * browser and day: a browser is in a feed's sample, or out of it, for the whole day.
 */
export function sampleDrawMessage(now: number): string {
  return `#observe-sample\n${utcDay(now)}`;
}

/** A number in [0, 1) from the first 4 bytes of an HMAC (uniform, as the HMAC is). */
export function drawFromMac(mac: Uint8Array): number {
  if (mac.byteLength < 4) throw new Error('HMAC too short');
  return new DataView(mac.buffer, mac.byteOffset, 4).getUint32(0) / 2 ** 32;
}

/** The id from the HMAC of clientIdMessage: its first CLIENT_ID_BYTES bytes in base64url. */
export function clientIdFromMac(mac: Uint8Array): string {
  if (mac.byteLength < CLIENT_ID_BYTES) throw new Error('HMAC too short');
  return toBase64Url(mac.subarray(0, CLIENT_ID_BYTES));
}

/** The secret as stored: base64url text of CLIENT_SECRET_BYTES bytes (storage keeps strings, not bytes). */
export function encodeClientSecret(secret: Uint8Array): string {
  if (secret.byteLength !== CLIENT_SECRET_BYTES) throw new Error('secret must be 32 bytes');
  return toBase64Url(secret);
}

/** The secret read back from storage, or null when it is missing or not exactly what we store. */
export function readClientSecret(stored: unknown): Uint8Array | null {
  // 32 bytes are 43 base64url characters, the last of which carries 4 bits: A, E, I, … or w.
  if (typeof stored !== 'string' || !/^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/.test(stored)) return null;
  const bytes = fromBase64Url(stored);
  return bytes.byteLength === CLIENT_SECRET_BYTES ? bytes : null;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
