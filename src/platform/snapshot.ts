// Pages paint from storage, not from the background: one read at start and another at each change.
// The background may be asleep (Chrome stops an idle worker after about 30 s); opening the popup then
// costs no worker start.

import { type Snapshot, snapshotOf } from '../core/snapshot';
import type { Thresholds } from '../core/thresholds';
import { loadView, onViewChanged, type Seed } from './view-store';

export async function readSnapshot(thresholds: Thresholds): Promise<Snapshot> {
  return snapshotOf(await loadView(), Date.now(), thresholds);
}

/** The snapshot of the view a page's query carries (the popup's seed: view-store.ts), or null. */
export function seededSnapshot(seed: Seed | null, thresholds: Thresholds): Snapshot | null {
  return seed && snapshotOf(seed.view, Date.now(), thresholds);
}

/** Calls back with a fresh snapshot whenever storage changes; returns an unsubscribe. */
export function watchSnapshot(thresholds: Thresholds, listener: (snapshot: Snapshot) => void): () => void {
  let latest = 0;
  return onViewChanged(() => {
    // Changes can come in bursts: only the newest read is shown.
    const mine = ++latest;
    readSnapshot(thresholds).then(
      (snapshot) => {
        if (mine === latest) listener(snapshot);
      },
      () => undefined,
    );
  });
}
