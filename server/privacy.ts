// What the server keeps about a reporter: never the address and never the client id, only hashes.
// Addresses are hashed with a salt that is replaced every UTC day, so hashes can't be linked across days
// or reversed from the database (IPv4 has only 2^32 values). One process keeps it in memory only
// (DailySalt); several instances on PostgreSQL share it through the database, where only the current
// day's salt exists (server/shared-salt.ts).

import { createHmac, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';

/** "::ffff:1.2.3.4" → "1.2.3.4"; IPv6 in lower case; anything else as is. */
export function normalizeIp(ip: string): string {
  const lower = ip.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  return mapped?.[1] ?? lower;
}

/** The eight groups of an IPv6 address (embedded IPv4 left as one trailing group), or null. */
function ipv6Groups(ip: string): string[] | null {
  const halves = ip.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 0 : missing !== 0) return null;
  return [...head, ...Array<string>(Math.max(0, missing)).fill('0'), ...tail];
}

/** The first `groups` groups of an IPv6 address as a prefix key ("2001:db8:1::/48"), or null. */
function ipv6Prefix(ip: string, groups: number): string | null {
  const all = ipv6Groups(ip);
  if (!all) return null;
  return `${all
    .slice(0, groups)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/${groups * 16}`;
}

/** The rate-limit key of an address: IPv4 as is, IPv6 by its /64 (one subscriber usually has a whole /64). */
export function rateKey(ip: string): string {
  const n = normalizeIp(ip);
  if (isIP(n) !== 6) return n;
  return ipv6Prefix(n, 4) ?? n;
}

/**
 * The network of an address: IPv4 by its /24, IPv6 by its /48 (a site's usual allocation). One network
 * adds at most a few reports per service and bucket, and has its own rate limit, whatever addresses and
 * client ids inside it send: a network is what a sender cannot multiply at will.
 */
export function networkKey(ip: string): string {
  const n = normalizeIp(ip);
  const family = isIP(n);
  if (family === 4) return `${n.split('.').slice(0, 3).join('.')}.0/24`;
  if (family === 6) return ipv6Prefix(n, 3) ?? n;
  return n;
}

export const DAY_MS = 24 * 60 * 60_000;

/** Hashes a sender's address for storage: the same address and salt give the same hash. */
export interface AddressHasher {
  hash(ip: string, now: number): string | Promise<string>;
}

/** The stored form of an address under one day's salt. */
export function hashAddress(salt: Uint8Array, ip: string): string {
  return createHmac('sha256', salt).update(normalizeIp(ip)).digest('base64url').slice(0, 22);
}

/** Hashes addresses with a random salt kept in memory and replaced at every UTC midnight. */
export class DailySalt implements AddressHasher {
  private day = Number.NaN;
  private salt: Buffer = Buffer.alloc(0);

  hash(ip: string, now: number): string {
    const day = Math.floor(now / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.salt = randomBytes(32);
    }
    return hashAddress(this.salt, ip);
  }
}

/**
 * A short id of the salt `hasher` uses at `now` (its hash of a fixed text, which reveals nothing of it):
 * rows hashed under different salts can be told apart, never matched.
 */
export async function saltIdOf(hasher: AddressHasher, now: number): Promise<string> {
  return (await hasher.hash('salt-id', now)).slice(0, 8);
}

/** Keyed hash of a client id (the key is the store's own, made on its first open). */
export function hashClient(key: Uint8Array, client: string): string {
  return createHmac('sha256', key).update(client).digest('base64url').slice(0, 22);
}
