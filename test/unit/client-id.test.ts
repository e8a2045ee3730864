// The client id sent with reports: one per feed origin and UTC day, derived from a local secret that
// is made once, kept in storage.local and never sent; the old everlasting id is removed.
import { createHmac } from 'node:crypto';
import { fakeBrowser } from '@webext-core/fake-browser';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { clientIdMessage, drawFromMac, readClientSecret, utcDay } from '../../src/core/client-id';
import {
  CLIENT_SECRET_KEY,
  clientId,
  dailySampleDraw,
  forgetOldClientId,
  OLD_CLIENT_ID_KEY,
} from '../../src/platform/client-id';
import { CLIENT_ID_PATTERN } from '../../src/shared/feed';

vi.mock('webextension-polyfill', () => ({ default: fakeBrowser }));

const FEED = 'https://feed.example.org/v1/reports';
const NOON = Date.UTC(2026, 10, 23, 12, 0);
const HOUR = 3_600_000;

async function storedSecret(): Promise<unknown> {
  return (await fakeBrowser.storage.local.get(CLIENT_SECRET_KEY))[CLIENT_SECRET_KEY];
}

beforeEach(() => {
  fakeBrowser.reset();
});

describe('the UTC day and the signed message (pure)', () => {
  it.each<[string, number, number]>([
    ['the epoch', 0, 0],
    ['the last millisecond of the first day', 86_400_000 - 1, 0],
    ['UTC midnight starts the next day', 86_400_000, 1],
    ['a day in 2026', Date.UTC(2026, 10, 23, 23, 59), 20_780],
    ['a moment before 1970', -1, -1],
  ])('counts days in UTC: %s', (_name, now, day) => expect(utcDay(now)).toBe(day));

  it.each<[string, string, string]>([
    ['the report URL', FEED, 'https://feed.example.org'],
    ['another path on the same feed', 'https://feed.example.org/', 'https://feed.example.org'],
    [
      'the host in capitals and the default port',
      'https://FEED.example.org:443/v1/reports',
      'https://feed.example.org',
    ],
    ['a port of its own', 'https://feed.example.org:8443/v1/reports', 'https://feed.example.org:8443'],
    ['a local feed', 'http://localhost:8787/v1/reports', 'http://localhost:8787'],
  ])('signs the feed origin and the day for %s', (_name, url, origin) => {
    expect(clientIdMessage(url, NOON)).toBe(`${origin}\n${utcDay(NOON)}`);
  });

  it.each<[string, unknown]>([
    ['nothing', undefined],
    ['a number', 42],
    ['an old 24-character id', 'abcdefghijklmnopqrstuvwx'],
    ['42 characters', 'A'.repeat(42)],
    ['44 characters', 'A'.repeat(44)],
    ['a character outside base64url', `${'A'.repeat(42)}+`],
    ['a last character with stray bits', `${'A'.repeat(42)}B`],
    ['bytes instead of text', { 0: 1, 1: 2 }],
  ])('refuses a stored secret that is %s', (_name, stored) => expect(readClientSecret(stored)).toBeNull());
});

describe('client id', () => {
  it('is the HMAC-SHA-256 of the feed origin and UTC day under the stored secret, 22 base64url characters', async () => {
    const id = await clientId(FEED, NOON);
    expect(id).toMatch(CLIENT_ID_PATTERN);
    expect(id).toHaveLength(22);
    const secret = readClientSecret(await storedSecret());
    expect(secret).not.toBeNull();
    const mac = createHmac('sha256', Buffer.from(secret ?? []))
      .update(`https://feed.example.org\n${utcDay(NOON)}`)
      .digest();
    expect(id).toBe(mac.subarray(0, 16).toString('base64url'));
  });

  it.each<[string, string, number]>([
    ['later the same UTC day', FEED, NOON + 11 * HOUR + 59 * 60_000],
    ['earlier the same UTC day', FEED, NOON - 12 * HOUR],
    ['another path of the same origin', 'https://feed.example.org/elsewhere', NOON],
  ])('stays the same %s', async (_name, url, now) => {
    expect(await clientId(url, now)).toBe(await clientId(FEED, NOON));
  });

  it.each<[string, string, number]>([
    ['on the next UTC day', FEED, NOON + 12 * HOUR],
    ['the day before', FEED, NOON - 12 * HOUR - 1],
    ['at another feed origin', 'https://other-feed.example.net/v1/reports', NOON],
    ['at another port of the same host', 'https://feed.example.org:8443/v1/reports', NOON],
    ['at the same host over http', 'http://feed.example.org/v1/reports', NOON],
  ])('changes %s', async (_name, url, now) => {
    const here = await clientId(FEED, NOON);
    const there = await clientId(url, now);
    expect(there).toMatch(CLIENT_ID_PATTERN);
    expect(there).not.toBe(here);
  });

  it('makes the secret once (32 random bytes) and reuses it', async () => {
    expect(await storedSecret()).toBeUndefined();
    const first = await clientId(FEED, NOON);
    const secret = await storedSecret();
    expect(readClientSecret(secret)?.byteLength).toBe(32);
    await clientId('https://other-feed.example.net', NOON + 5 * 24 * HOUR);
    expect(await storedSecret()).toBe(secret);
    expect(await clientId(FEED, NOON)).toBe(first);
  });

  it('makes one secret when two reports ask at once on first use', async () => {
    const [a, b] = await Promise.all([clientId(FEED, NOON), clientId(FEED, NOON)]);
    expect(a).toBe(b);
    expect(await clientId(FEED, NOON)).toBe(a);
  });

  it('gives different ids on two devices (two secrets) for the same feed and day', async () => {
    const here = await clientId(FEED, NOON);
    fakeBrowser.reset();
    expect(await clientId(FEED, NOON)).not.toBe(here);
  });

  it.each<[string, unknown]>([
    ['text that is not a secret', 'not a secret'],
    ['a number', 7],
    ['a list of bytes', Array(32).fill(1)],
  ])('replaces a stored secret that is %s', async (_name, bad) => {
    await fakeBrowser.storage.local.set({ [CLIENT_SECRET_KEY]: bad });
    expect(await clientId(FEED, NOON)).toMatch(CLIENT_ID_PATTERN);
    const replaced = await storedSecret();
    expect(replaced).not.toEqual(bad);
    expect(readClientSecret(replaced)).not.toBeNull();
  });

  it('removes the old everlasting id when it makes the secret, and never sends it', async () => {
    await fakeBrowser.storage.local.set({ [OLD_CLIENT_ID_KEY]: 'OldForeverId_0123456789' });
    const id = await clientId(FEED, NOON);
    expect(id).not.toBe('OldForeverId_0123456789');
    expect(await fakeBrowser.storage.local.get(OLD_CLIENT_ID_KEY)).toEqual({});
  });

  it('removes the old id on install or update, with or without a report', async () => {
    await fakeBrowser.storage.local.set({ [OLD_CLIENT_ID_KEY]: 'OldForeverId_0123456789', settings: {} });
    await forgetOldClientId();
    expect(await fakeBrowser.storage.local.get(null)).toEqual({ settings: {} });
  });
});

describe('the daily sampling draw (who is in a feed’s sample of observations)', () => {
  it.each<[string, number[], number]>([
    ['zero bytes: 0', [0, 0, 0, 0, 9], 0],
    ['the top bit: one half', [0x80, 0, 0, 0], 0.5],
    ['all ones: just below 1', [0xff, 0xff, 0xff, 0xff], 1 - 2 ** -32],
  ])('reads the first 4 bytes of the HMAC as a number in [0, 1): %s', (_name, bytes, draw) => {
    expect(drawFromMac(Uint8Array.from(bytes))).toBe(draw);
  });

  it('is the same all UTC day, another the next day, from the secret the ids come from', async () => {
    const draw = await dailySampleDraw(NOON);
    expect(draw).toBeGreaterThanOrEqual(0);
    expect(draw).toBeLessThan(1);
    expect(await dailySampleDraw(NOON + 11 * HOUR)).toBe(draw);
    expect(await dailySampleDraw(NOON + 12 * HOUR)).not.toBe(draw);
    const secret = readClientSecret(await storedSecret());
    const mac = createHmac('sha256', Buffer.from(secret ?? []))
      .update(`#observe-sample\n${utcDay(NOON)}`)
      .digest();
    expect(draw).toBe(mac.readUInt32BE(0) / 2 ** 32);
  });

  it('spreads browsers evenly: about 30 % of 2,000 secrets are in a 30 % sample', async () => {
    let inside = 0;
    for (let i = 0; i < 2000; i++) {
      fakeBrowser.reset();
      if ((await dailySampleDraw(NOON)) < 0.3) inside++;
    }
    expect(inside / 2000).toBeGreaterThan(0.26);
    expect(inside / 2000).toBeLessThan(0.34);
  });
});
