// What a batch of observations does to the store, decided in memory once for both stores: each store
// reads the rows of the batch's (service, network) pairs inside its transaction (PostgreSQL under
// advisory locks on those pairs), these rules decide (FeedStorage.addObservations), and the store writes
// back the rows that changed and the minutes' counts.

import type { CatalogId } from '../../src/core/services';
import type { ObservedState } from '../../src/shared/feed';
import { minuteStart } from '../core/observe-sample';
import {
  OBSERVATION_DEDUPE_MS,
  OBSERVATION_WINDOW_MS,
  type ObservationResult,
  type StoredObservation,
} from './types';

/** One stored row: a client's latest state of a service, from one network. */
export interface ObservationRow {
  readonly service: CatalogId;
  readonly netHash: string;
  readonly clientHash: string;
  readonly state: ObservedState;
  readonly country: string | null;
  readonly saltId: string;
  readonly at: number;
}

const pairKey = (service: string, netHash: string): string => `${service}\0${netHash}`;

/** The distinct (service, network) pairs of a batch: the rows a store must read for it. */
export function pairsOf(batch: readonly StoredObservation[]): [service: CatalogId, netHash: string][] {
  const pairs = new Map<string, [CatalogId, string]>();
  for (const o of batch)
    for (const [service] of o.services) pairs.set(pairKey(service, o.netHash), [service, o.netHash]);
  return [...pairs.values()];
}

export class ObservationClaims {
  /** Rows by pair, then by client hash. */
  private readonly pairs = new Map<string, Map<string, ObservationRow>>();
  private readonly touched = new Set<ObservationRow>();

  constructor(
    private readonly clientsPerNetwork: number,
    stored: readonly ObservationRow[],
  ) {
    for (const row of stored) this.clientsOf(row.service, row.netHash).set(row.clientHash, row);
  }

  private clientsOf(service: string, netHash: string): Map<string, ObservationRow> {
    const key = pairKey(service, netHash);
    let clients = this.pairs.get(key);
    if (!clients) {
      clients = new Map();
      this.pairs.set(key, clients);
    }
    return clients;
  }

  /** Decides one observation, service by service; counted when it stored any. */
  decide(o: StoredObservation): ObservationResult {
    let counted = false;
    for (const [service, state] of o.services) if (this.claim(o, service, state)) counted = true;
    return { counted };
  }

  private claim(o: StoredObservation, service: CatalogId, state: ObservedState): boolean {
    const clients = this.clientsOf(service, o.netHash);
    const own = clients.get(o.clientHash);
    if (own && own.state === state && own.at > o.at - OBSERVATION_DEDUPE_MS) return false;
    const windowStart = o.at - OBSERVATION_WINDOW_MS;
    if (!(own && own.at > windowStart)) {
      // A client not among the network's recent ones takes a place, if one is left.
      let recent = 0;
      for (const row of clients.values()) if (row.at > windowStart) recent++;
      if (recent >= this.clientsPerNetwork) return false;
    }
    if (own) this.touched.delete(own);
    const row: ObservationRow = {
      service,
      netHash: o.netHash,
      clientHash: o.clientHash,
      state,
      country: o.country,
      saltId: o.saltId,
      at: o.at,
    };
    clients.set(o.clientHash, row);
    this.touched.add(row);
    return true;
  }

  /** The rows to write (insert or replace), each once with its final value. */
  get changed(): ObservationRow[] {
    return [...this.touched];
  }
}

/** Counted observations per minute (the observation log's increments) of a decided batch. */
export function countedByMinute(
  batch: readonly StoredObservation[],
  results: readonly ObservationResult[],
): [minute: number, observations: number][] {
  const minutes = new Map<number, number>();
  batch.forEach((o, i) => {
    if (!results[i]?.counted) return;
    const minute = minuteStart(o.at);
    minutes.set(minute, (minutes.get(minute) ?? 0) + 1);
  });
  return [...minutes].sort((a, b) => a[0] - b[0]);
}
