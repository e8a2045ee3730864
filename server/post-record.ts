// What the server stores of a post: the body's fields, the client id and the sender's network hashed
// (privacy.ts: the raw id and address are never kept), and the time it arrived. The routes (app.ts) and
// the crowd simulation (bench/crowd-server.ts), which posts to the store without HTTP, both build their
// rows here, so the simulated crowd is counted exactly as the server counts a real one.

import type { Observation, Report } from '../src/shared/feed';
import { type AddressHasher, hashClient, networkKey, saltIdOf } from './privacy';
import type { StoredObservation, StoredReport } from './storage/types';

/** The store's key for client ids and the day's salt for addresses. */
export interface PostHashing {
  readonly clientKey: Uint8Array;
  readonly salt: AddressHasher;
}

/** The sender's network (IPv4 /24, IPv6 /48) under the salt of `at`. */
function networkHash(hashing: PostHashing, address: string, at: number): string | Promise<string> {
  return hashing.salt.hash(networkKey(address), at);
}

export async function reportRecord(
  hashing: PostHashing,
  report: Report,
  address: string,
  at: number,
): Promise<StoredReport> {
  return {
    service: report.service,
    problem: report.problem,
    country: report.country ?? null,
    clientHash: hashClient(hashing.clientKey, report.client),
    netHash: await networkHash(hashing, address, at),
    at,
  };
}

export async function observationRecord(
  hashing: PostHashing,
  observation: Observation,
  address: string,
  at: number,
): Promise<StoredObservation> {
  return {
    services: Object.entries(observation.services) as StoredObservation['services'][number][],
    country: observation.country ?? null,
    clientHash: hashClient(hashing.clientKey, observation.client),
    netHash: await networkHash(hashing, address, at),
    saltId: await saltIdOf(hashing.salt, at),
    at,
  };
}
