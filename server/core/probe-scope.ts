// What the crowd of browsers says about a service, as pure functions: networks that reach it and networks
// that don't, per country, and the server's reading of them (`scope`): down for everyone, down in one
// country, or working (`none`). Plain-words description with the reasons for each number:
// server/ALGORITHM.md, section 12.

import { isCountryCode } from '../../src/core/countries';
import { type CatalogId, SERVICE_IDS } from '../../src/core/services';
import type { ProbeScope, ServiceProbes } from '../../src/shared/feed';

/**
 * Networks (IPv4 /24, IPv6 /48) with at least one observation of `service` in the window, down or up by
 * the majority of their clients, grouped by the country they name (null: none named). The store sums
 * them; a network is in exactly one row per service.
 */
export interface ProbeCount {
  readonly service: CatalogId;
  readonly country: string | null;
  readonly down: number;
  readonly up: number;
}

export interface ProbeScopeConfig {
  /** Networks down before anything is said: fewer can be one user's network, or one griefer's. */
  readonly minDown: number;
  /** Share of networks down (of those that check) that makes "down" in a country or for everyone. */
  readonly downShare: number;
  /** Below this share down, the service works: `none`, or "works elsewhere" for a country. */
  readonly clearShare: number;
  /** Networks in other known countries needed to say that it works elsewhere (`country`). */
  readonly minElsewhere: number;
  /** Countries listed per service, the most networks first (the scope's country always among them). */
  readonly countriesTop: number;
}

export const PROBE_SCOPE: ProbeScopeConfig = Object.freeze({
  minDown: 3,
  downShare: 0.6,
  clearShare: 0.2,
  minElsewhere: 3,
  countriesTop: 10,
});

/** Networks down and up, in all and per country (networks that named none count only in all). */
export interface NetworkCounts {
  readonly down: number;
  readonly up: number;
  readonly countries: Readonly<Record<string, readonly [down: number, up: number]>>;
}

export type ScopeReading =
  | { readonly scope: 'everyone' | 'none' }
  | { readonly scope: 'country'; readonly country: string };

const downShareOf = (down: number, up: number): number => (down + up > 0 ? down / (down + up) : 0);
const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The scope rule, first match wins:
 * - `country` C: C has ≥ minDown networks down and a down share ≥ downShare, and the networks of the
 *   other known countries number ≥ minElsewhere with a down share < clearShare (several such countries:
 *   the one with the most networks down, then by code);
 * - `everyone`: ≥ minDown networks down and a down share ≥ downShare;
 * - `none`: ≥ minDown networks in all and a down share < clearShare;
 * - null otherwise: too few networks, or a mixed picture the server can't read.
 */
export function probeScope(
  counts: NetworkCounts,
  config: ProbeScopeConfig = PROBE_SCOPE,
): ScopeReading | null {
  const pairs = Object.entries(counts.countries);
  let knownDown = 0;
  let knownUp = 0;
  for (const [, [d, u]] of pairs) {
    knownDown += d;
    knownUp += u;
  }
  let best: { country: string; down: number } | null = null;
  for (const [country, [d, u]] of pairs) {
    if (d < config.minDown || downShareOf(d, u) < config.downShare) continue;
    const elsewhereDown = knownDown - d;
    const elsewhereUp = knownUp - u;
    if (elsewhereDown + elsewhereUp < config.minElsewhere) continue;
    if (downShareOf(elsewhereDown, elsewhereUp) >= config.clearShare) continue;
    if (!best || d > best.down || (d === best.down && byCode(country, best.country) < 0)) {
      best = { country, down: d };
    }
  }
  if (best) return { scope: 'country', country: best.country };
  const share = downShareOf(counts.down, counts.up);
  if (counts.down >= config.minDown && share >= config.downShare) return { scope: 'everyone' };
  if (counts.down + counts.up >= config.minDown && share < config.clearShare) return { scope: 'none' };
  return null;
}

/** The `countries` to publish: the `top` with the most networks (ties by code), `keep` always among them. */
function topCountries(
  countries: ReadonlyMap<string, [number, number]>,
  top: number,
  keep: string | undefined,
): Record<string, [number, number]> {
  const sorted = [...countries].sort(([a, x], [b, y]) => y[0] + y[1] - (x[0] + x[1]) || byCode(a, b));
  const chosen = sorted.slice(0, Math.max(0, top));
  if (keep !== undefined && !chosen.some(([code]) => code === keep)) {
    const kept = countries.get(keep);
    // The last place goes to the scope's country: readers keep only `top`, the largest first.
    if (kept) chosen.splice(Math.max(0, top - 1), chosen.length, [keep, kept]);
  }
  return Object.fromEntries(chosen);
}

/**
 * The `probes` field of every service with at least one observed network: totals, countries and the
 * scope. Rows of unknown services, with invalid counts, or naming no valid country (that part counts in
 * the totals only) are handled as the feed reader would.
 */
export function serviceProbes(
  rows: readonly ProbeCount[],
  config: ProbeScopeConfig = PROBE_SCOPE,
): Map<CatalogId, ServiceProbes> {
  const known = new Set<string>(SERVICE_IDS);
  const byService = new Map<
    CatalogId,
    { down: number; up: number; countries: Map<string, [number, number]> }
  >();
  for (const row of rows) {
    const valid = (n: number): boolean => Number.isFinite(n) && n >= 0;
    if (!known.has(row.service) || !valid(row.down) || !valid(row.up) || row.down + row.up === 0) continue;
    let entry = byService.get(row.service);
    if (!entry) {
      entry = { down: 0, up: 0, countries: new Map() };
      byService.set(row.service, entry);
    }
    entry.down += row.down;
    entry.up += row.up;
    if (row.country !== null && isCountryCode(row.country)) {
      const pair = entry.countries.get(row.country) ?? [0, 0];
      pair[0] += row.down;
      pair[1] += row.up;
      entry.countries.set(row.country, pair);
    }
  }
  const out = new Map<CatalogId, ServiceProbes>();
  for (const service of SERVICE_IDS) {
    const entry = byService.get(service);
    if (!entry) continue;
    const reading = probeScope(
      { down: entry.down, up: entry.up, countries: Object.fromEntries(entry.countries) },
      config,
    );
    const scopeCountry = reading?.scope === 'country' ? reading.country : undefined;
    const scope: ProbeScope | undefined = reading?.scope;
    out.set(service, {
      down: entry.down,
      up: entry.up,
      countries: topCountries(entry.countries, config.countriesTop, scopeCountry),
      ...(scope ? { scope } : {}),
      ...(scopeCountry ? { scopeCountry } : {}),
    });
  }
  return out;
}
