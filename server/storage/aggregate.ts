// What a batch of counted reports adds to the aggregates, worked out in memory once for both stores:
// one row per key (a batch of 256 reports of one service is one bucket upsert, not 256), and the
// per-network cap applied on the way. The caller runs it inside its transaction, after dedupe.

import type { CatalogId } from '../../src/core/services';
import { bucketStart } from '../core/baseline';
import type { BucketCount, StoredReport } from './types';

export type BucketRow = [service: CatalogId, bucket: number, reports: number, networks: number];
export type BreakdownRow = [
  service: CatalogId,
  bucket: number,
  kind: 'problem' | 'country',
  key: string,
  reports: number,
];
/** A network's reports of a service in a bucket, as stored: never above the cap. */
export type TallyRow = [service: CatalogId, bucket: number, netHash: string, reports: number];

export const tallyKey = (service: string, bucket: number, netHash: string): string =>
  `${service}|${bucket}|${netHash}`;

/**
 * Takes one report's place in its network's tally: answers the tally after it (1 for the network's
 * first report in the bucket), or null when the network is already at the cap and the report adds
 * nothing. SQLite answers it with one upsert per report; PostgreSQL from tallies read under its locks.
 */
export type ClaimTally = (service: CatalogId, bucket: number, netHash: string) => number | null;

/** Tallies read from the store, claimed in memory; `changed` are the rows to write back. */
export class TallyClaims {
  private readonly rows = new Map<string, TallyRow>();
  private readonly touched = new Set<string>();

  constructor(
    private readonly cap: number,
    stored: readonly TallyRow[],
  ) {
    for (const row of stored) this.rows.set(tallyKey(row[0], row[1], row[2]), [...row]);
  }

  readonly claim: ClaimTally = (service, bucket, netHash) => {
    const key = tallyKey(service, bucket, netHash);
    let row = this.rows.get(key);
    if (!row) {
      row = [service, bucket, netHash, 0];
      this.rows.set(key, row);
    }
    if (row[3] >= this.cap) return null;
    row[3]++;
    this.touched.add(key);
    return row[3];
  };

  /** The tallies that changed, with their new absolute values. */
  get changed(): TallyRow[] {
    return [...this.touched].map((key) => this.rows.get(key) as TallyRow);
  }
}

export class BatchAggregates {
  private readonly bucketRows = new Map<string, BucketRow>();
  private readonly breakdownRows = new Map<string, BreakdownRow>();

  constructor(private readonly claim: ClaimTally) {}

  /** Adds one counted report; answers whether it added to the counts (false: its network is at the cap). */
  add(r: StoredReport): boolean {
    const bucket = bucketStart(r.at);
    const tally = this.claim(r.service, bucket, r.netHash);
    if (tally === null) return false;
    const id = `${r.service}|${bucket}`;
    const row = this.bucketRows.get(id) ?? [r.service, bucket, 0, 0];
    this.bucketRows.set(id, row);
    row[2]++;
    // The network's first report in this bucket makes it one more distinct network.
    if (tally === 1) row[3]++;
    this.bump(r.service, bucket, 'problem', r.problem);
    if (r.country !== null) this.bump(r.service, bucket, 'country', r.country);
    return true;
  }

  private bump(service: CatalogId, bucket: number, kind: 'problem' | 'country', key: string): void {
    const id = `${service}|${bucket}|${kind}|${key}`;
    const row = this.breakdownRows.get(id);
    if (row) row[4]++;
    else this.breakdownRows.set(id, [service, bucket, kind, key, 1]);
  }

  /** Bucket increments: reports and new distinct networks. */
  get buckets(): BucketRow[] {
    return [...this.bucketRows.values()];
  }

  /** Breakdown increments. */
  get breakdown(): BreakdownRow[] {
    return [...this.breakdownRows.values()];
  }
}

/** A bucket row as both stores read it: `networks` is NULL for buckets counted before networks were. */
export interface BucketRowRead {
  readonly service: CatalogId;
  readonly bucket: number;
  readonly reports: number;
  readonly networks: number | null;
}

export function bucketCountOf(row: BucketRowRead): BucketCount {
  const { service, bucket, reports, networks } = row;
  return networks === null ? { service, bucket, reports } : { service, bucket, reports, networks };
}
