/**
 * The rest of the crowd, for end-to-end tests against the real feed server: other opted-in browsers on
 * other networks, posting what they see through the server's own route (POST /v1/observations) the way
 * the extension does (JSON, an extension's Origin, a client id of their own), each from a real source
 * address. Any address of 127.0.0.0/8 reaches a server on 127.0.0.1, so 127.N.M.1 and 127.N.M.2 are
 * two browsers of the network 127.N.M.0/24; 127.0.0.0/24 is left to the browser under test, which
 * reaches the server through the recording proxy (feed-fixture.ts).
 */
import { EXTENSION, randomClient } from '../../server/test/black-box';
import { http } from '../../server/test/helpers';
import type { CatalogId, ServiceId } from '../../src/core/services';
import { type ObservedState, readFeed, type ServiceProbes } from '../../src/shared/feed';

/** Browsers on one network, naming one country; their ids are kept, so a new state replaces the old. */
export interface OtherNetwork {
  readonly country: string;
  readonly browsers: readonly { readonly from: string; readonly client: string }[];
}

/** Browsers behind each network: two, which the server must count as one network. */
const BROWSERS_PER_NETWORK = 2;

/** `count` networks per country, in the order given, numbered from 127.1.0.0/24 on. */
export function otherNetworks(
  perCountry: readonly (readonly [country: string, count: number])[],
): OtherNetwork[] {
  const countries = perCountry.flatMap(([country, count]) => Array<string>(count).fill(country));
  return countries.map((country, n) => ({
    country,
    browsers: Array.from({ length: BROWSERS_PER_NETWORK }, (_, b) => ({
      from: `127.${1 + Math.floor(n / 200)}.${n % 200}.${b + 1}`,
      client: randomClient(),
    })),
  }));
}

/**
 * Every browser of every network says `state(network)` of `service`, all at once; throws unless the
 * server took each one (202: counted, or a repeat within its dedupe window).
 */
export async function seeFrom(
  serverUrl: string,
  networks: readonly OtherNetwork[],
  service: ServiceId,
  state: (network: OtherNetwork, index: number) => ObservedState,
): Promise<void> {
  const posts = networks.flatMap((network, index) =>
    network.browsers.map(async ({ from, client }) => {
      const answer = await http(`${serverUrl}/v1/observations`, {
        method: 'POST',
        localAddress: from,
        headers: { 'content-type': 'application/json', origin: EXTENSION },
        body: JSON.stringify({
          client,
          country: network.country,
          services: { [service]: state(network, index) },
        }),
      });
      if (answer.status !== 202) throw new Error(`observation from ${from}: ${answer.status} ${answer.text}`);
    }),
  );
  await Promise.all(posts);
}

/** The server's `probes` of a service, as its feed says now (undefined: no network observed it). */
export async function serverProbes(
  serverUrl: string,
  service: ServiceId,
): Promise<ServiceProbes | undefined> {
  const read = readFeed((await http(`${serverUrl}/v1/feed`)).json());
  if ('error' in read) throw new Error(`the server's feed: ${read.error}`);
  return read.feed.services[service as CatalogId]?.probes;
}
