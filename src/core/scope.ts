// "Just me, my country, or everyone?": where a service fails, read from what the crowd of browsers
// sees (the feed's `probes`: networks that reach it and that don't) and what this browser sees.

import type { ObservedState, ServiceProbes } from '../shared/feed';
import { observedStateOf } from './observed-state';
import type { Thresholds } from './thresholds';
import type { Status } from './types';

export const SCOPE_KINDS = ['everyone', 'country', 'network', 'unknown'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

/**
 * Where the crowd of browsers can tell a service fails:
 * - `everyone`: the feed's server says most networks that check it can't reach it, in many places;
 * - `country`: the server says so for one country (`country`), while it works elsewhere;
 * - `network`: this browser can't reach it, its own connection works, and other networks reach it:
 *   only this user's network (its Wi-Fi, firewall or VPN) fails;
 * - `unknown`: nothing of the above can be said.
 * `down` of `total` networks can't reach it: in `country` for `country`, everywhere otherwise (so
 * `total - down` is how many reach it, the number "only you" quotes).
 */
export interface CrowdScope {
  readonly kind: ScopeKind;
  readonly country: string | null;
  readonly down: number;
  readonly total: number;
}

/** What this browser saw in the same check. */
export interface OwnView {
  /** The probes' own verdict on the service (before any other signal). */
  readonly probe: Status;
  /** Some connectivity control answered: the user's connection works. */
  readonly controlsOk: boolean;
  /**
   * What this browser last told the feed of the service while the feed still counts it (its own
   * network is then among `down` or `up`); absent or null: nothing (not sharing, or too long ago).
   */
  readonly shared?: ObservedState | null;
}

export type ScopeThresholds = Pick<Thresholds, 'scopeMinUp' | 'scopeFewDown' | 'scopeMaxDownShare'>;

/**
 * The scope of one service, as a pure rule; null when there is nothing to read (no feed, or a feed
 * without probes for it). The server's word comes first: it sees every network, this browser only
 * its own. "Only your network" is this browser's own conclusion, and needs both sides: its probes
 * fail while its controls answer, and enough other networks reach the service while few fail (see
 * the thresholds), so one griefing network reporting "up" cannot make an outage look like yours,
 * and a few broken routers elsewhere do not make your failure theirs.
 */
export function crowdScope(
  probes: ServiceProbes | null | undefined,
  own: OwnView,
  t: ScopeThresholds,
): CrowdScope | null {
  if (!probes) return null;
  const { down, up } = ownNetworkAsNow(probes, own);
  const everywhere = { country: null, down, total: down + up };
  if (probes.scope === 'everyone') return { kind: 'everyone', ...everywhere };
  if (probes.scope === 'country') {
    const country = probes.scopeCountry ?? worstCountry(probes.countries);
    if (country) {
      // A country the feed named but did not list (it keeps the largest ten): counts unknown, 0 of 0.
      const [there, works] = probes.countries[country] ?? [0, 0];
      return { kind: 'country', country, down: there, total: there + works };
    }
  }
  const othersReach =
    up >= t.scopeMinUp && (down < t.scopeFewDown || down / (down + up) < t.scopeMaxDownShare);
  if (own.probe === 'down' && own.controlsOk && othersReach) return { kind: 'network', ...everywhere };
  return { kind: 'unknown', ...everywhere };
}

/**
 * The feed's totals with this browser's own network on the side its probes take now. Until its post
 * of a change lands (a random wait, then the next feed read), the feed still counts the word it
 * shared before: a browser that reached the app a minute ago would count itself among the "other
 * networks that reach it", and 2 others would pass for 3. Moved, not removed: once the change lands
 * the feed says the same. Only when the feed holds a network on that side (the document may predate
 * the word); with the probes unknown (offline), nothing moves.
 */
function ownNetworkAsNow(probes: ServiceProbes, own: OwnView): { down: number; up: number } {
  const { down, up } = probes;
  const now = observedStateOf(own.probe);
  if (!own.shared || now === null || own.shared === now) return { down, up };
  if (own.shared === 'up' && up > 0) return { down: down + 1, up: up - 1 };
  if (own.shared === 'down' && down > 0) return { down: down - 1, up: up + 1 };
  return { down, up };
}

/** The listed country with the highest share of networks that can't reach it (then most of them). */
function worstCountry(countries: ServiceProbes['countries']): string | null {
  let worst: { code: string; share: number; down: number } | null = null;
  for (const [code, [down, up]] of Object.entries(countries)) {
    if (down === 0) continue;
    const share = down / (down + up);
    if (!worst || share > worst.share || (share === worst.share && down > worst.down)) {
      worst = { code, share, down };
    }
  }
  return worst?.code ?? null;
}

/**
 * The countries with the most networks that can't reach a service, most first, at most `n`, and
 * whether more have some: "Italy, France, UK…".
 */
export function downCountries(
  countries: ServiceProbes['countries'] | undefined,
  n: number,
): { codes: string[]; more: boolean } {
  const failing = Object.entries(countries ?? {})
    .filter(([, [down]]) => down > 0)
    .sort(([a, [x]], [b, [y]]) => y - x || (a < b ? -1 : 1));
  return { codes: failing.slice(0, n).map(([code]) => code), more: failing.length > n };
}
