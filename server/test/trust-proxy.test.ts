import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config';
import { clientAddress, describeTrustProxy, parseTrustProxy } from '../trust-proxy';

describe('parseTrustProxy', () => {
  it.each([
    ['1', 1],
    ['2', 2],
    [' 3 ', 3],
    ['0', false],
    ['10.0.0.0/8,127.0.0.1', '10.0.0.0/8,127.0.0.1'],
    ['10.0.0.0/8, 127.0.0.1', '10.0.0.0/8,127.0.0.1'],
    ['2400:cb00::/32', '2400:cb00::/32'],
    ['::1', '::1'],
  ])('reads %j', (raw, described) => {
    expect(describeTrustProxy(parseTrustProxy(raw))).toBe(described);
  });

  it.each([
    ['', /empty/],
    ['true', /neither/],
    ['10.0.0.0/33', /prefix length/],
    ['10.0.0.0/8/1', /neither/],
    ['10.0.0/8', /neither/],
    ['10.0.0.1,,10.0.0.2', /neither/],
    ['2001:db8::/129', /prefix length/],
    ['17', /at most 16 hops/],
    ['proxy.internal', /neither/],
  ])('refuses %j with a message that says why', (raw, message) => {
    expect(() => parseTrustProxy(raw)).toThrow(message);
  });
});

describe('the client address behind proxies', () => {
  const none = parseTrustProxy('0');
  const one = parseTrustProxy('1');
  const two = parseTrustProxy('2');
  const list = parseTrustProxy('10.0.0.0/8,127.0.0.1,2001:db8:ffff::/48');

  it.each<[string, ReturnType<typeof parseTrustProxy>, string, string | undefined, string]>([
    // No trust: the socket's address, whatever the header says.
    ['no trust', none, '198.51.100.1', '1.2.3.4', '198.51.100.1'],
    ['no trust, IPv4-mapped socket', none, '::ffff:198.51.100.1', undefined, '198.51.100.1'],
    // One proxy appends the address it saw: the rightmost entry.
    ['1 hop', one, '10.0.0.5', '203.0.113.7', '203.0.113.7'],
    ['1 hop, client wrote a spoofed entry first', one, '10.0.0.5', '1.1.1.1, 203.0.113.7', '203.0.113.7'],
    ['1 hop, no header (a request that skipped the proxy)', one, '10.0.0.5', undefined, '10.0.0.5'],
    ['1 hop, garbage where the proxy wrote', one, '10.0.0.5', '1.1.1.1, not-an-ip', '10.0.0.5'],
    ['2 hops (CDN then load balancer)', two, '10.0.0.5', '1.1.1.1, 203.0.113.7, 172.70.1.1', '203.0.113.7'],
    ['2 hops, chain shorter than the hops', two, '10.0.0.5', '203.0.113.7', '203.0.113.7'],
    ['repeated headers, joined', one, '10.0.0.5', '1.1.1.1,203.0.113.7', '203.0.113.7'],
    ['an entry with a port', one, '10.0.0.5', '203.0.113.7:51234', '203.0.113.7'],
    ['an IPv6 entry with a port', one, '10.0.0.5', '[2001:db8::7]:443', '2001:db8::7'],
    // A list: the header counts only when the socket peer is one of our proxies.
    ['list, peer not a proxy: header ignored', list, '198.51.100.9', '1.1.1.1', '198.51.100.9'],
    ['list, peer a proxy', list, '127.0.0.1', '1.1.1.1, 203.0.113.7', '203.0.113.7'],
    ['list, several proxies', list, '127.0.0.1', '1.1.1.1, 203.0.113.7, 10.1.2.3, 10.9.9.9', '203.0.113.7'],
    ['list, IPv6 proxies', list, '2001:db8:ffff::1', '2001:db8:1::5, 2001:db8:ffff::2', '2001:db8:1::5'],
    ['list, every entry a proxy: the leftmost', list, '127.0.0.1', '10.0.0.1, 10.0.0.2', '10.0.0.1'],
    ['list, IPv4-mapped peer', list, '::ffff:127.0.0.1', '203.0.113.7', '203.0.113.7'],
    ['list, garbage after a proxy: that proxy', list, '127.0.0.1', 'junk, 10.0.0.3', '10.0.0.3'],
  ])('%s', (_name, trust, peer, header, expected) => {
    expect(clientAddress(peer, header, trust)).toBe(expected);
  });
});

describe('--trust-proxy on the command line', () => {
  const read = (argv: string[], env: NodeJS.ProcessEnv = {}) =>
    describeTrustProxy(parseConfig(argv, env).trustProxy);

  it.each<[string[], NodeJS.ProcessEnv, string | number | false]>([
    [[], {}, false],
    [['--trust-proxy', '1'], {}, 1],
    [['--trust-proxy=10.0.0.0/8,127.0.0.1'], {}, '10.0.0.0/8,127.0.0.1'],
    [[], { TRUST_PROXY: '1' }, 1],
    [[], { TRUST_PROXY: '173.245.48.0/20,2400:cb00::/32' }, '173.245.48.0/20,2400:cb00::/32'],
    [['--trust-proxy', '2'], { TRUST_PROXY: '1' }, 2],
    [[], { TRUST_PROXY: '' }, false],
  ])('%j with env %j', (argv, env, expected) => {
    expect(read(argv, env)).toBe(expected);
  });

  it('refuses the old boolean form, saying what to write instead', () => {
    expect(() => parseConfig([], { TRUST_PROXY: 'true' })).toThrow(/use 1 for one proxy in front/);
    expect(() => parseConfig(['--trust-proxy'], {})).toThrow();
  });
});
