// Which address a report comes from, behind proxies. Proxies (nginx's $proxy_add_x_forwarded_for,
// Cloudflare, cloud load balancers) APPEND the address they saw to X-Forwarded-For, so everything left
// of their entry is whatever the client wrote, and a client can write anything. The only entries to
// believe are the ones our own proxies added: read the chain from the right (the socket peer first) and
// stop at the first hop no trusted proxy accounts for.
//
// `--trust-proxy` takes either
//   - a hop count N: N proxies stand in front of the server, each appending; the client is the N-th
//     address from the right of (X-Forwarded-For entries…, socket peer), or the leftmost when the chain
//     is shorter (the request skipped a proxy);
//   - a list of proxy addresses and CIDRs: when the socket peer is not one of them the header is
//     ignored; otherwise the client is the rightmost entry that is not one of them.
// An entry that is not an IP address ends the walk: the hop that wrote it is taken instead.

import { BlockList, isIP } from 'node:net';
import { normalizeIp } from './privacy';

export type TrustProxy =
  | { readonly kind: 'none' }
  | { readonly kind: 'hops'; readonly hops: number }
  | { readonly kind: 'list'; readonly list: BlockList; readonly text: string };

export const TRUST_NONE: TrustProxy = Object.freeze({ kind: 'none' });
const MAX_HOPS = 16;

/** Parses a --trust-proxy / TRUST_PROXY value; throws an Error with a one-line message on bad input. */
export function parseTrustProxy(raw: string): TrustProxy {
  const value = raw.trim();
  const usage =
    'takes a hop count (1 = one proxy in front appends the client address) or a comma-separated list of ' +
    'proxy addresses and CIDRs (10.0.0.0/8,127.0.0.1)';
  if (value === '') throw new Error(`--trust-proxy ${usage}; it is empty`);
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > MAX_HOPS) throw new Error(`--trust-proxy: at most ${MAX_HOPS} hops, not ${hops}`);
    return hops === 0 ? TRUST_NONE : { kind: 'hops', hops };
  }
  const list = new BlockList();
  const entries = value.split(',').map((e) => e.trim());
  for (const entry of entries) {
    const [address = '', prefix, extra] = entry.split('/');
    const ip = normalizeIp(address);
    const family = isIP(ip);
    if (family === 0 || extra !== undefined) {
      throw new Error(`--trust-proxy ${usage}; ${JSON.stringify(entry || raw)} is neither`);
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) {
      list.addAddress(ip, type);
      continue;
    }
    const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : Number.NaN;
    if (!(bits >= 0 && bits <= (family === 4 ? 32 : 128))) {
      throw new Error(`--trust-proxy: ${JSON.stringify(entry)} has no valid prefix length`);
    }
    list.addSubnet(ip, bits, type);
  }
  return { kind: 'list', list, text: entries.join(',') };
}

/** How the trust setting is logged at start: never addresses of clients, only the operator's own. */
export function describeTrustProxy(trust: TrustProxy): string | number | false {
  if (trust.kind === 'none') return false;
  return trust.kind === 'hops' ? trust.hops : trust.text;
}

function trusted(list: BlockList, ip: string): boolean {
  const family = isIP(ip);
  return family !== 0 && list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/** An entry as an address: some load balancers (Azure's) write "1.2.3.4:5678" or "[2001:db8::1]:443". */
function entryAddress(entry: string): string {
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::\d+)?$/.exec(entry);
  if (bracketed?.[1]) return normalizeIp(bracketed[1]);
  const v4port = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(entry);
  return normalizeIp(v4port?.[1] ?? entry);
}

/** X-Forwarded-For entries, left to right (Node joins repeated headers with ", "). */
function forwardedEntries(header: string | readonly string[] | undefined): string[] {
  if (header === undefined) return [];
  const joined = typeof header === 'string' ? header : header.join(',');
  return joined
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
}

/**
 * The client's address: the socket peer's, or with trusted proxies the rightmost X-Forwarded-For entry
 * that no trusted proxy added (see the rules at the top of this file).
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | readonly string[] | undefined,
  trust: TrustProxy,
): string {
  const socket = normalizeIp(peer ?? 'unknown');
  if (trust.kind === 'none') return socket;
  if (trust.kind === 'list' && !trusted(trust.list, socket)) return socket;
  const entries = forwardedEntries(forwardedFor);
  let current = socket;
  // Right to left: each step moves from a hop we trust to the address that hop saw.
  for (let step = 1; entries.length > 0; step++) {
    if (trust.kind === 'hops' && step > trust.hops) break;
    const next = entryAddress(entries.pop() ?? '');
    if (isIP(next) === 0) break;
    current = next;
    if (trust.kind === 'list' && !trusted(trust.list, current)) break;
  }
  return current;
}
