import { browser } from './browser';

const KEY = 'clientId';

/**
 * The random id sent with reports so the feed counts one report per person per service, made once
 * and never linked to anything else about the user.
 */
export async function clientId(): Promise<string> {
  const stored = await browser.storage.local.get(KEY);
  const existing = stored[KEY];
  if (typeof existing === 'string' && /^[A-Za-z0-9_-]{16,64}$/.test(existing)) return existing;
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  const id = btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
  await browser.storage.local.set({ [KEY]: id });
  return id;
}
