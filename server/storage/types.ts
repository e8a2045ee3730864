// The feed server's storage, as an interface a PostgreSQL implementation can follow: every method is
// async, nothing here assumes SQLite (no synchronous calls, no rowids, no file paths in the routes).

import type { CatalogId } from '../../src/core/services';
import type { ObservedState, Problem } from '../../src/shared/feed';
import type { Breakdown, BucketCount } from '../core/baseline';
import type { ObserveMinute } from '../core/observe-sample';
import type { ProbeCount } from '../core/probe-scope';

export type { Breakdown, BucketCount, ObserveMinute, ProbeCount };

/** How long one client's report of one service blocks its next one: first report per 30 min counts. */
export const DEDUPE_WINDOW_MS = 30 * 60_000;
/**
 * Raw reports (a client hash, a service and a time: all that dedupe reads) are kept this long. Nothing
 * reads them after the dedupe window, so they go at the first prune after it.
 */
export const RAW_RETENTION_MS = DEDUPE_WINDOW_MS;
/** Aggregates (per-bucket counts and breakdowns) are kept this long: the baseline reads 4 weeks and a day. */
export const AGGREGATE_RETENTION_MS = 35 * 24 * 60 * 60_000;

/**
 * One report as the store takes it: already validated, the client id and the network already hashed.
 * The raw report row keeps only what dedupe reads (client hash, service, time); problem and country go
 * into the aggregates, and the network hash into the current bucket's per-network tally.
 */
export interface StoredReport {
  readonly service: CatalogId;
  readonly problem: Problem;
  /** ISO 3166-1 alpha-2, or null when the reporter didn't say. */
  readonly country: string | null;
  /** Keyed hash of the client id (see FeedStorage.clientKey); the raw id is never stored. */
  readonly clientHash: string;
  /**
   * Hash of the sender's network (IPv4 /24, IPv6 /48; server/privacy.ts networkKey) under the day's
   * salt: one network adds at most ALGORITHM.networkCap reports per service and bucket.
   */
  readonly netHash: string;
  /** When the server received it, ms since the epoch. */
  readonly at: number;
}

/** What became of one report of a batch, in the batch's order. */
export type ReportResult =
  | { readonly counted: true }
  | { readonly counted: false; readonly reason: 'duplicate' };

export interface PruneResult {
  readonly reports: number;
  readonly buckets: number;
  readonly breakdown: number;
  /** Per-network tallies of buckets that have ended (only the current bucket's are ever read). */
  readonly networks: number;
  /** Observation rows past OBSERVATION_RETENTION_MS. */
  readonly observations: number;
  /** Minutes of the observation log past OBSERVATION_RETENTION_MS. */
  readonly observeMinutes: number;
}

/** A client repeating the state it last sent of a service within this long sends nothing new. */
export const OBSERVATION_DEDUPE_MS = 10 * 60_000;
/** The feed counts the networks observed in this window (a browser repeats its state every 15 min). */
export const OBSERVATION_WINDOW_MS = 15 * 60_000;
/** Observation rows and the minutes of the observation log are kept this long, then pruned. */
export const OBSERVATION_RETENTION_MS = 30 * 60_000;

/**
 * One observation as the store takes it: validated, the client id and the network hashed. It stands for
 * one row per service: (service, network, client) → the client's latest state, its country and time.
 */
export interface StoredObservation {
  readonly services: readonly (readonly [service: CatalogId, state: ObservedState])[];
  /** ISO 3166-1 alpha-2, or null when the client didn't say. */
  readonly country: string | null;
  /** Keyed hash of the client id (see FeedStorage.clientKey). */
  readonly clientHash: string;
  /** Hash of the sender's network (IPv4 /24, IPv6 /48) under the day's salt. */
  readonly netHash: string;
  /**
   * Which salt hashed `netHash` (a hash of a fixed text under it): the feed counts only the rows of one
   * salt, so one network is never two (or three) networks across a salt change or a restart.
   */
  readonly saltId: string;
  /** When the server received it, ms since the epoch. */
  readonly at: number;
}

/** What became of one observation: counted when it stored at least one service's state. */
export interface ObservationResult {
  readonly counted: boolean;
}

/** One rate-limit check of a batch: take up to `count` tokens from `key`'s bucket. */
export interface TokenRequest {
  readonly key: string;
  readonly count: number;
}

/** What a bucket gave: `granted` of the tokens asked for; the next one is there `retryAfterMs` after now. */
export interface TokenGrant {
  readonly granted: number;
  readonly retryAfterMs: number;
}

/**
 * State that several server instances on one database must agree on, kept in the store. A store that
 * only one process uses (SQLite) has none: the server then keeps rate limits and the salt in memory.
 */
export interface SharedState {
  /**
   * Token buckets named by `limiter`, refilled at `perMinute` a minute up to `perMinute`: takes from each
   * key's bucket in one round trip. Keys must be distinct (count repeats instead).
   */
  takeTokens(
    limiter: string,
    perMinute: number,
    requests: readonly TokenRequest[],
    now: number,
  ): Promise<TokenGrant[]>;
  /** Forgets buckets that are full again (the same as no bucket); answers how many went. */
  pruneTokens(now: number): Promise<number>;
  /** The address-hash salt of UTC day `day` (days since the epoch), made by the first instance that asks;
   * older days' salts are deleted. */
  dailySalt(day: number): Promise<Uint8Array>;
  /** Resolves once the database answers; rejects when it can't be reached. */
  ping(): Promise<void>;
}

export interface FeedStorage {
  /** A short name for logs ("sqlite", "postgres"); never a path or a password. */
  readonly kind: string;
  /** When this store began counting (its first open), ms since the epoch: before it, buckets are unknown. */
  readonly countingSince: number;
  /** A random key made on the store's first open, for hashing client ids (a leaked store can't be matched to an id). */
  readonly clientKey: Uint8Array;
  /**
   * Stores a batch in ONE durable transaction and answers per report, in order. Dedupe is decided inside
   * that transaction: a report counts only if the same client hash has no counted report of the same
   * service in the DEDUPE_WINDOW_MS before its `at` (earlier reports of the same batch included).
   * Duplicates are not stored. A counted report adds to its bucket's count, distinct networks and
   * breakdown in the same transaction, as long as its network has added fewer than `networkCap`
   * reports of that service to that bucket; beyond that it is stored (for dedupe) and adds nothing.
   * Resolves only once the transaction is durable; rejects (storing nothing) on failure.
   */
  addReports(batch: readonly StoredReport[]): Promise<ReportResult[]>;
  /** Bucket counts with bucket start ≥ since. */
  counts(since: number): Promise<BucketCount[]>;
  /** Problem and country counts summed over the buckets with start ≥ since. */
  breakdown(since: number): Promise<Breakdown[]>;
  /**
   * Stores a batch of observations in ONE durable transaction and answers per observation, in order.
   * Per service, with the rows of its (service, network) read inside the transaction (earlier
   * observations of the batch included): the client's row with the same state and a time within
   * OBSERVATION_DEDUPE_MS is a duplicate (row untouched); a client already among the network's rows of
   * the last OBSERVATION_WINDOW_MS replaces its state, country and time; any other client is added only
   * while the network has fewer than `clientsPerNetwork` clients in that window (else nothing is stored).
   * An observation that stored anything is counted, and adds one to its minute of the observation log.
   * Resolves only once the transaction is durable; rejects (storing nothing) on failure.
   */
  addObservations(batch: readonly StoredObservation[]): Promise<ObservationResult[]>;
  /**
   * Networks observed since `since` (only the rows of the salt with the most rows since then, a tie:
   * the newest), per service and country: each network down when most of its clients' latest states
   * are down (a tie is up), in the country its clients name (any one if several; null if none).
   */
  probeCounts(since: number): Promise<ProbeCount[]>;
  /** The observation log's minutes with start ≥ since: observations counted and the sample published. */
  observeMinutes(since: number): Promise<ObserveMinute[]>;
  /** Records the sample published in `minute` (the last write of a minute wins). */
  publishSample(minute: number, sample: number): Promise<void>;
  /**
   * Deletes raw reports older than RAW_RETENTION_MS, per-network tallies of ended buckets,
   * aggregates older than AGGREGATE_RETENTION_MS, and observation rows and log minutes older than
   * OBSERVATION_RETENTION_MS.
   */
  prune(now: number): Promise<PruneResult>;
  /** Present when several server instances can share this store (PostgreSQL). */
  readonly shared?: SharedState;
  /** Closes the store; pending transactions are finished first. Idempotent. */
  close(): Promise<void>;
}
