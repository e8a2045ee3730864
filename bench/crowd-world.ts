// The crowd's world: networks (IPv4 /24s, each with its own address range, so the server's networkKey
// and salted hash see real network boundaries) in several countries, and browsers in them, each with its
// own secret (client id and daily sampling draw), languages and starting phase. Deterministic per seed.

import { random } from './simulate';

/** Countries of the crowd, their share of its networks, and the languages their browsers send. */
export const CROWD_COUNTRIES = [
  { code: 'IT', share: 0.16, languages: ['it-IT', 'it'] },
  { code: 'FR', share: 0.14, languages: ['fr-FR', 'fr'] },
  { code: 'DE', share: 0.14, languages: ['de-DE', 'de'] },
  { code: 'GB', share: 0.12, languages: ['en-GB', 'en'] },
  { code: 'US', share: 0.14, languages: ['en-US', 'en'] },
  { code: 'BR', share: 0.1, languages: ['pt-BR', 'pt'] },
  { code: 'IN', share: 0.1, languages: ['en-IN', 'hi'] },
  { code: 'ID', share: 0.1, languages: ['id-ID', 'id'] },
] as const;

export type CrowdCountry = (typeof CROWD_COUNTRIES)[number]['code'];

export interface CrowdNetwork {
  readonly index: number;
  /** The first three octets: the network is `${prefix}.0/24`. */
  readonly prefix: string;
  readonly country: CrowdCountry;
}

export interface CrowdBrowser {
  readonly index: number;
  readonly network: CrowdNetwork;
  /** Its address inside the network. */
  readonly address: string;
  readonly languages: readonly string[];
  /** Whether it names its country (the user's setting): most do. */
  readonly shareCountry: boolean;
  /** The local secret its client ids and sampling draws come from. */
  readonly secret: Uint8Array;
  /** When its first check runs, ms of virtual time: browsers start at random phases. */
  readonly phaseMs: number;
}

export interface CrowdSpec {
  readonly browsers: number;
  readonly networks: number;
  readonly seed: number;
  /** First checks spread over this long (default a minute: one check interval). */
  readonly phaseSpreadMs?: number;
  /** Share of browsers whose user keeps the country to themselves (default 0.1). */
  readonly noCountryShare?: number;
}

export interface Crowd {
  readonly networks: readonly CrowdNetwork[];
  readonly browsers: readonly CrowdBrowser[];
}

/**
 * Networks get countries in proportion to CROWD_COUNTRIES and addresses in a block of their country's
 * own (country k: (20 + k).x.y.0/24). Every network has a browser; the rest go to networks with
 * weights of a long tail, so most networks hold a few browsers (homes) and some hold many (offices).
 */
export function makeCrowd(spec: CrowdSpec): Crowd {
  if (spec.networks < 1 || spec.browsers < spec.networks)
    throw new Error('crowd: need browsers ≥ networks ≥ 1');
  const rnd = random(spec.seed);
  const networks: CrowdNetwork[] = [];
  const counters = new Map<string, number>();
  let assigned = 0;
  CROWD_COUNTRIES.forEach((country, k) => {
    const last = k === CROWD_COUNTRIES.length - 1;
    const n = last ? spec.networks - assigned : Math.round(spec.networks * country.share);
    for (let i = 0; i < n && networks.length < spec.networks; i++) {
      const used = counters.get(country.code) ?? 0;
      counters.set(country.code, used + 1);
      networks.push({
        index: networks.length,
        prefix: `${20 + k}.${(used >> 8) & 255}.${used & 255}`,
        country: country.code,
      });
    }
    assigned = networks.length;
  });
  const weights = networks.map(() => rnd() ** 3);
  const total = weights.reduce((a, b) => a + b, 0);
  const homes: CrowdNetwork[] = [...networks];
  while (homes.length < spec.browsers) {
    let pick = rnd() * total;
    let i = 0;
    while (i < weights.length - 1 && pick >= (weights[i] as number)) pick -= weights[i++] as number;
    homes.push(networks[i] as CrowdNetwork);
  }
  const spread = spec.phaseSpreadMs ?? 60_000;
  const noCountry = spec.noCountryShare ?? 0.1;
  const hosts = new Map<number, number>();
  const browsers = homes.map((network, index): CrowdBrowser => {
    const host = (hosts.get(network.index) ?? 0) + 2;
    if (host > 254) throw new Error('crowd: more than 253 browsers in one /24');
    hosts.set(network.index, host - 1);
    const country = CROWD_COUNTRIES.find((c) => c.code === network.country);
    return {
      index,
      network,
      address: `${network.prefix}.${host}`,
      languages: country?.languages ?? ['en'],
      shareCountry: rnd() >= noCountry,
      secret: Uint8Array.from({ length: 32 }, () => Math.floor(rnd() * 256)),
      phaseMs: Math.floor(rnd() * spread),
    };
  });
  return { networks, browsers };
}
