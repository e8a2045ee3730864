// The observations part of the FeedStorage contract (run inside storage-suite.ts, so on SQLite and on
// PostgreSQL alike): dedupe, replace, the per-network client cap, majority per network, countries, the
// salt a row was hashed under, the observation log and prune. Only the interface is used.

import { beforeEach, describe, expect, it } from 'vitest';
import type { CatalogId } from '../../src/core/services';
import type { ObservedState } from '../../src/shared/feed';
import { ALGORITHM } from '../core/baseline';
import {
  type FeedStorage,
  OBSERVATION_DEDUPE_MS,
  OBSERVATION_RETENTION_MS,
  OBSERVATION_WINDOW_MS,
  type ObservationResult,
  type ProbeCount,
  type StoredObservation,
} from '../storage/types';
import { T0 } from './helpers';

const MIN = 60_000;
const COUNTED: ObservationResult = { counted: true };
const NOT_COUNTED: ObservationResult = { counted: false };
const CAP = ALGORITHM.observeClientsPerNetwork;

/** Client `n` from a network of its own sees WhatsApp down from Italy at T0 + 1 min, unless overridden. */
function obs(n: number | string, overrides: Partial<StoredObservation> = {}): StoredObservation {
  return {
    services: [['whatsapp', 'down']],
    country: 'IT',
    clientHash: `hash-of-client-${n}`,
    netHash: `hash-of-network-${n}`,
    saltId: 'salt-1',
    at: T0 + MIN,
    ...overrides,
  };
}
const seeing = (state: ObservedState, service: CatalogId = 'whatsapp'): Partial<StoredObservation> => ({
  services: [[service, state]],
});
/** `n` clients of network `net`. */
const fromNetwork = (
  net: string,
  n: number,
  overrides: Partial<StoredObservation> = {},
): StoredObservation[] =>
  Array.from({ length: n }, (_, i) => obs(`${net}-${i}`, { netHash: `net-${net}`, ...overrides }));

const sortProbes = (rows: readonly ProbeCount[]): ProbeCount[] =>
  [...rows].sort((a, b) => `${a.service}|${a.country}`.localeCompare(`${b.service}|${b.country}`));

export function describeObservationStorage(storageOf: () => FeedStorage): void {
  describe('observations', () => {
    let storage: FeedStorage;
    beforeEach(() => {
      storage = storageOf();
    });
    /** probeCounts of the window ending at `now` (default T0 + 2 min), sorted. */
    const probes = async (now = T0 + 2 * MIN): Promise<ProbeCount[]> =>
      sortProbes(await storage.probeCounts(now - OBSERVATION_WINDOW_MS));

    it('answers per observation, in the batch order', async () => {
      expect(await storage.addObservations([])).toEqual([]);
      expect(
        await storage.addObservations([
          obs(1),
          obs(2),
          obs(1),
          obs(1, seeing('up')),
          obs(2, seeing('down', 'slack')),
        ]),
      ).toEqual([COUNTED, COUNTED, NOT_COUNTED, COUNTED, COUNTED]);
    });

    // [case, ms after the first, the repeat's state, expected]
    it.each([
      ['same state, same moment', 0, 'down', NOT_COUNTED],
      ['same state, 1 ms before the dedupe window ends', OBSERVATION_DEDUPE_MS - 1, 'down', NOT_COUNTED],
      ['same state, at the window edge', OBSERVATION_DEDUPE_MS, 'down', COUNTED],
      ['same state, 14 min later', 14 * MIN, 'down', COUNTED],
      ['changed state, same moment', 0, 'up', COUNTED],
      ['changed state, 5 min later', 5 * MIN, 'up', COUNTED],
    ] as const)('dedupes a repeat per client, service and network: %s', async (_, after, state, expected) => {
      const repeat = obs(1, { ...seeing(state), at: T0 + MIN + after });
      expect(await storage.addObservations([obs(1)])).toEqual([COUNTED]);
      expect(await storage.addObservations([repeat])).toEqual([expected]);
      // Within one batch, the same answer.
      const other = obs('in-batch');
      const again = { ...repeat, clientHash: other.clientHash, netHash: other.netHash };
      expect(await storage.addObservations([other, again])).toEqual([COUNTED, expected]);
    });

    it('leaves the row untouched on a duplicate: the window is not extended', async () => {
      await storage.addObservations([obs(1)]);
      expect(await storage.addObservations([obs(1, { at: T0 + 9 * MIN, country: 'FR' })])).toEqual([
        NOT_COUNTED,
      ]);
      expect(await probes()).toEqual([{ service: 'whatsapp', country: 'IT', down: 1, up: 0 }]);
      // 10 minutes after the stored one (not the duplicate): counted again.
      expect(await storage.addObservations([obs(1, { at: T0 + 11 * MIN })])).toEqual([COUNTED]);
    });

    it('replaces a client’s state, country and time when it changes', async () => {
      await storage.addObservations([obs(1)]);
      await storage.addObservations([obs(1, { ...seeing('up'), country: 'FR', at: T0 + 2 * MIN })]);
      expect(await probes(T0 + 3 * MIN)).toEqual([{ service: 'whatsapp', country: 'FR', down: 0, up: 1 }]);
      // Its time moved too: still in the window 16 minutes after the first one.
      expect(await probes(T0 + 16 * MIN)).toHaveLength(1);
    });

    it('counts an observation of several services when any of them stored a state', async () => {
      await storage.addObservations([obs(1)]);
      const both: Partial<StoredObservation> = {
        services: [
          ['whatsapp', 'down'],
          ['telegram', 'up'],
        ],
      };
      expect(await storage.addObservations([obs(1, both)])).toEqual([COUNTED]);
      expect(await storage.addObservations([obs(1, both)])).toEqual([NOT_COUNTED]);
      expect(await probes()).toEqual([
        { service: 'telegram', country: 'IT', down: 0, up: 1 },
        { service: 'whatsapp', country: 'IT', down: 1, up: 0 },
      ]);
    });

    it(`keeps at most ${CAP} clients per service and network in the window; the next store nothing`, async () => {
      const answers = await storage.addObservations(fromNetwork('a', CAP + 3));
      expect(answers).toEqual([...Array(CAP).fill(COUNTED), ...Array(3).fill(NOT_COUNTED)]);
      // A client already kept still changes its state; another service of the network has its own places.
      const kept = fromNetwork('a', 1, { ...seeing('up'), at: T0 + 2 * MIN })[0] as StoredObservation;
      expect(await storage.addObservations([kept])).toEqual([COUNTED]);
      expect(await storage.addObservations(fromNetwork('a', 2, seeing('up', 'slack')))).toEqual([
        COUNTED,
        COUNTED,
      ]);
      expect(await storage.addObservations([obs('a-new', { netHash: 'net-a' })])).toEqual([NOT_COUNTED]);
      // Once the kept ones are out of the window, new clients take their places.
      const later = fromNetwork('b', 1, { netHash: 'net-a', at: T0 + MIN + OBSERVATION_WINDOW_MS + 1 });
      expect(await storage.addObservations(later)).toEqual([COUNTED]);
    });

    it('holds the client cap when batches of one network are stored concurrently', async () => {
      const answers = await Promise.all(
        fromNetwork('c', CAP + 6).map((o, i) => storage.addObservations([{ ...o, at: T0 + MIN + i }])),
      );
      expect(answers.flat().filter((a) => a.counted)).toHaveLength(CAP);
    });

    // [case, clients down, clients up, network counted as]
    it.each([
      ['all down', 3, 0, 'down'],
      ['most down', 3, 2, 'down'],
      ['a tie: someone there reaches it', 2, 2, 'up'],
      ['most up', 1, 4, 'up'],
    ] as const)('reads a network by the majority of its clients: %s', async (_, down, up, as) => {
      await storage.addObservations([
        ...fromNetwork('m-down', down, seeing('down')),
        ...fromNetwork('m-up', up, { ...seeing('up'), netHash: 'net-m-down' }),
      ]);
      expect(await probes()).toEqual([
        { service: 'whatsapp', country: 'IT', down: as === 'down' ? 1 : 0, up: as === 'up' ? 1 : 0 },
      ]);
    });

    it('counts networks per country; a network with no country only in the totals', async () => {
      await storage.addObservations([
        ...fromNetwork('it1', 2),
        ...fromNetwork('it2', 1),
        ...fromNetwork('fr1', 1, { ...seeing('up'), country: 'FR' }),
        ...fromNetwork('none', 2, { country: null }),
        // One network whose clients name two countries counts once, in one of them.
        obs('mixed-1', { netHash: 'net-mixed', country: 'DE', ...seeing('up') }),
        obs('mixed-2', { netHash: 'net-mixed', country: 'ES', ...seeing('up') }),
        obs('mixed-3', { netHash: 'net-mixed', country: null, ...seeing('up') }),
      ]);
      const rows = await probes();
      expect(rows.filter((r) => r.country !== 'DE' && r.country !== 'ES')).toEqual([
        { service: 'whatsapp', country: 'FR', down: 0, up: 1 },
        { service: 'whatsapp', country: 'IT', down: 2, up: 0 },
        { service: 'whatsapp', country: null, down: 1, up: 0 },
      ]);
      const mixed = rows.filter((r) => r.country === 'DE' || r.country === 'ES');
      expect(mixed).toHaveLength(1);
      expect(mixed[0]).toMatchObject({ down: 0, up: 1 });
    });

    it('reads only the last 15 minutes', async () => {
      await storage.addObservations([obs(1, { at: T0 }), obs(2, { at: T0 + 10 * MIN })]);
      expect(await probes(T0 + 11 * MIN)).toEqual([{ service: 'whatsapp', country: 'IT', down: 2, up: 0 }]);
      expect(await probes(T0 + 16 * MIN)).toEqual([{ service: 'whatsapp', country: 'IT', down: 1, up: 0 }]);
      expect(await probes(T0 + 26 * MIN)).toEqual([]);
    });

    it('counts only the rows hashed under one salt, the one with the most rows: one network is never two across a salt change', async () => {
      await storage.addObservations([
        ...fromNetwork('s', 3, { saltId: 'salt-old', netHash: 'old-s' }),
        obs('t-0', { saltId: 'salt-old', netHash: 'old-t' }),
      ]);
      expect(await probes()).toEqual([{ service: 'whatsapp', country: 'IT', down: 2, up: 0 }]);
      // Network s after the salt changed: another hash. The old salt still has more rows, so its networks
      // go on counting, and s counts once, not twice.
      const fresh = (id: string, netHash: string, o: Partial<StoredObservation> = {}): StoredObservation =>
        obs(id, { saltId: 'salt-new', netHash, at: T0 + 2 * MIN, ...o });
      await storage.addObservations([fresh('s-0', 'new-s')]);
      expect(await probes(T0 + 3 * MIN)).toEqual([{ service: 'whatsapp', country: 'IT', down: 2, up: 0 }]);
      await storage.addObservations([fresh('s-1', 'new-s'), fresh('s-2', 'new-s')]);
      expect(await probes(T0 + 3 * MIN)).toEqual([{ service: 'whatsapp', country: 'IT', down: 2, up: 0 }]);
      // As many rows under the new salt as under the old (a tie: the newest): only the new salt counts,
      // where t is now up.
      await storage.addObservations([fresh('t-0', 'new-t', seeing('up'))]);
      expect(await probes(T0 + 3 * MIN)).toEqual([{ service: 'whatsapp', country: 'IT', down: 1, up: 1 }]);
    });

    it('logs counted observations per minute and the sample published in it', async () => {
      await storage.addObservations([
        obs(1),
        obs(2, { at: T0 + MIN + 59_999 }),
        obs(3, { at: T0 + 2 * MIN }),
      ]);
      await storage.addObservations([obs(1), obs(4, { at: T0 + 2 * MIN + 5 })]);
      await storage.publishSample(T0 + 2 * MIN, 0.5);
      await storage.publishSample(T0 + 2 * MIN, 0.25);
      await storage.publishSample(T0 + 3 * MIN, 1);
      const minutes = [...(await storage.observeMinutes(T0 + MIN))].sort((a, b) => a.minute - b.minute);
      expect(minutes).toEqual([
        { minute: T0 + MIN, observations: 2, sample: null },
        { minute: T0 + 2 * MIN, observations: 2, sample: 0.25 },
        { minute: T0 + 3 * MIN, observations: 0, sample: 1 },
      ]);
      expect(await storage.observeMinutes(T0 + 3 * MIN)).toHaveLength(1);
    });

    it('prunes rows and log minutes past the retention, keeping younger ones', async () => {
      const now = T0 + 3 * 60 * MIN;
      await storage.addObservations([
        obs(1, { at: now - OBSERVATION_RETENTION_MS - MIN }),
        obs(2, { at: now - OBSERVATION_RETENTION_MS + MIN }),
      ]);
      expect(await storage.prune(now)).toMatchObject({ observations: 1, observeMinutes: 1 });
      expect(await storage.prune(now)).toMatchObject({ observations: 0, observeMinutes: 0 });
      expect(await storage.observeMinutes(0)).toHaveLength(1);
      // The young row is still there: a repeat of it is a duplicate.
      expect(
        await storage.addObservations([obs(2, { at: now - OBSERVATION_RETENTION_MS + 2 * MIN })]),
      ).toEqual([NOT_COUNTED]);
    });

    it('rejects a batch with an unstorable observation as a whole: nothing of it is kept', async () => {
      const broken = obs(3, { services: [['whatsapp', 'sideways' as ObservedState]] });
      await expect(storage.addObservations([obs(1), broken])).rejects.toThrow();
      expect(await probes()).toEqual([]);
      expect(await storage.observeMinutes(0)).toEqual([]);
      expect(await storage.addObservations([obs(1)])).toEqual([COUNTED]);
    });
  });
}
