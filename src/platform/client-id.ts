import {
  CLIENT_SECRET_BYTES,
  clientIdFromMac,
  clientIdMessage,
  drawFromMac,
  encodeClientSecret,
  readClientSecret,
  sampleDrawMessage,
} from '../core/client-id';
import { browser } from './browser';

/** The local secret the client ids are derived from (base64url, made once, never sent anywhere). */
export const CLIENT_SECRET_KEY = 'clientSecret';
/** Where older versions kept one random id forever: removed. */
export const OLD_CLIENT_ID_KEY = 'clientId';

/**
 * The id sent with a report to the feed at `feedUrl`: HMAC-SHA-256 of the feed's origin and the UTC
 * day under a local secret (see src/core/client-id.ts for why), so it differs per feed and per day.
 */
export async function clientId(feedUrl: string, now: number): Promise<string> {
  return clientIdFromMac(await signed(clientIdMessage(feedUrl, now)));
}

/**
 * This browser's sampling draw for the UTC day of `now`, in [0, 1): from the same secret, so it holds
 * all day (a browser is in or out of a feed's sample for the day) and nothing is stored for it.
 */
export async function dailySampleDraw(now: number): Promise<number> {
  return drawFromMac(await signed(sampleDrawMessage(now)));
}

async function signed(text: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    'raw',
    await clientSecret(),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text)));
}

/** Removes the old everlasting id, if an earlier version left one (on install and update). */
export async function forgetOldClientId(): Promise<void> {
  await browser.storage.local.remove(OLD_CLIENT_ID_KEY);
}

// Two reports sent at once on first use must not make two secrets (the first id would then come from
// a secret that was overwritten): they share the one being made.
let making: Promise<Uint8Array> | null = null;

async function clientSecret(): Promise<Uint8Array<ArrayBuffer>> {
  const stored = await browser.storage.local.get(CLIENT_SECRET_KEY);
  // Storage is not trusted: anything but exactly 32 bytes in our encoding is replaced.
  const existing = readClientSecret(stored[CLIENT_SECRET_KEY]);
  if (existing) return new Uint8Array(existing);
  making ??= makeSecret().finally(() => {
    making = null;
  });
  return new Uint8Array(await making);
}

async function makeSecret(): Promise<Uint8Array> {
  const secret = crypto.getRandomValues(new Uint8Array(CLIENT_SECRET_BYTES));
  await browser.storage.local.set({ [CLIENT_SECRET_KEY]: encodeClientSecret(secret) });
  await forgetOldClientId();
  return secret;
}
