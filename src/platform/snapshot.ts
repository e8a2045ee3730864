// Pages paint from storage, not from the background: one read at start and another at each change.
// The background may be asleep (Chrome stops an idle worker after about 30 s); opening the popup then
// costs no worker start.

import { type Snapshot, snapshotOf } from '../core/snapshot';
import type { Thresholds } from '../core/thresholds';
import { loadView, onViewChanged, viewFromSeed } from './view-store';

export async function readSnapshot(thresholds: Thresholds): Promise<Snapshot> {
  return snapshotOf(await loadView(), Date.now(), thresholds);
}

/** The snapshot a page's query carries (the popup's seed), or null. */
export function seededSnapshot(search: string, thresholds: Thresholds): Snapshot | null {
  const view = viewFromSeed(search);
  return view && snapshotOf(view, Date.now(), thresholds);
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
