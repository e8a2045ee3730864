// What a batch of counted reports adds to the aggregates, worked out in memory once for both stores:
// one row per key (a batch of 256 reports of one service is one bucket upsert, not 256), and the
// per-network cap applied on the way. The caller runs it inside its transaction, after dedupe.

import type { ServiceId } from '../../src/core/catalog';
import { bucketStart } from '../core/baseline';
import type { BucketCount, StoredReport } from './types';

export type BucketRow = [service: ServiceId, bucket: number, reports: number, networks: number];
export type BreakdownRow = [
  service: ServiceId,
  bucket: number,
  kind: 'problem' | 'country',
  key: string,
  reports: number,
];
/** A network's reports of a service in a bucket, as stored: never above the cap. */
export type TallyRow = [service: ServiceId, bucket: number, netHash: string, reports: number];

export const tallyKey = (service: string, bucket: number, netHash: string): string =>
  `${service}|${bucket}|${netHash}`;

export class BatchAggregates {
  private readonly bucketRows = new Map<string, BucketRow>();
  private readonly breakdownRows = new Map<string, BreakdownRow>();
  private readonly tallyRows = new Map<string, TallyRow>();
  private readonly changed = new Set<string>();

  /**
   * @param cap most reports one network adds per service and bucket
   * @param storedTally the network's tally as the store holds it (before this batch)
   */
  constructor(
    private readonly cap: number,
    private readonly storedTally: (service: ServiceId, bucket: number, netHash: string) => number,
  ) {}

  /** Adds one counted report; answers whether it added to the counts (false: its network is at the cap). */
  add(r: StoredReport): boolean {
    const bucket = bucketStart(r.at);
    const key = tallyKey(r.service, bucket, r.netHash);
    let tally = this.tallyRows.get(key);
    if (!tally) {
      tally = [r.service, bucket, r.netHash, this.storedTally(r.service, bucket, r.netHash)];
      this.tallyRows.set(key, tally);
    }
    if (tally[3] >= this.cap) return false;
    tally[3]++;
    this.changed.add(key);
    const id = `${r.service}|${bucket}`;
    const row = this.bucketRows.get(id) ?? [r.service, bucket, 0, 0];
    this.bucketRows.set(id, row);
    row[2]++;
    // The network's first report in this bucket makes it one more distinct network.
    if (tally[3] === 1) row[3]++;
    this.bump(r.service, bucket, 'problem', r.problem);
    if (r.country !== null) this.bump(r.service, bucket, 'country', r.country);
    return true;
  }

  private bump(service: ServiceId, bucket: number, kind: 'problem' | 'country', key: string): void {
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

  /** The tallies that changed, with their new absolute values. */
  get tallies(): TallyRow[] {
    return [...this.changed].map((key) => this.tallyRows.get(key) as TallyRow);
  }
}

/** A bucket row as both stores read it: `networks` is NULL for buckets counted before networks were. */
export interface BucketRowRead {
  readonly service: ServiceId;
  readonly bucket: number;
  readonly reports: number;
  readonly networks: number | null;
}

export function bucketCountOf(row: BucketRowRead): BucketCount {
  const { service, bucket, reports, networks } = row;
  return networks === null ? { service, bucket, reports } : { service, bucket, reports, networks };
}
