// The daily address-hash salt shared by every instance on one PostgreSQL database: two instances must
// hash one address alike, or the per-address rate limit and abuse review would see two senders. The
// salt lives in the database for its day only (the store deletes older ones) and in each instance's
// memory; it is fetched once per day and instance.

import { type AddressHasher, DAY_MS, hashAddress } from './privacy';
import type { SharedState } from './storage/types';

export class SharedDailySalt implements AddressHasher {
  private day = Number.NaN;
  private salt: Uint8Array | null = null;
  private loading: { day: number; salt: Promise<Uint8Array> } | null = null;

  constructor(private readonly shared: SharedState) {}

  /** Synchronous once the day's salt is known; the first call of a day waits for the database. */
  hash(ip: string, now: number): string | Promise<string> {
    const day = Math.floor(now / DAY_MS);
    if (day === this.day && this.salt) return hashAddress(this.salt, ip);
    return this.load(day).then((salt) => hashAddress(salt, ip));
  }

  private load(day: number): Promise<Uint8Array> {
    if (this.loading?.day === day) return this.loading.salt;
    const salt = this.shared.dailySalt(day).then(
      (value) => {
        // A slower, older load must not overwrite a newer day's salt.
        if (!(day < this.day)) {
          this.day = day;
          this.salt = value;
        }
        if (this.loading?.day === day) this.loading = null;
        return value;
      },
      (error: unknown) => {
        if (this.loading?.day === day) this.loading = null;
        throw error;
      },
    );
    this.loading = { day, salt };
    return salt;
  }
}
