// The one place that paints the toolbar button: its badge and title from the stored state and the
// settings in force, and the page it opens, seeded with what that page paints first (the popup's
// seed: platform/view-store.ts). Everything is read afresh for every paint. A check that ends, a new
// main app, a wake after a sleep: each only asks for a paint, and paints run one after another, so an
// older picture can never be painted over a newer one.

import type { BadgeStyle } from '../core/badge';
import { type Mutes, mutedIds } from '../core/mutes';
import type { Settings } from '../core/settings';
import { badgeFor, type Wording } from '../core/step';
import type { Thresholds } from '../core/thresholds';
import type { MonitorState } from '../core/types';

export interface PainterDeps {
  /** What is stored now: the badge's inputs, and the popup's seed (null: none, the popup reads storage
   * first). */
  readonly load: () => Promise<{
    state: MonitorState;
    settings: Settings;
    mutes: Mutes;
    seed: string | null;
  }>;
  readonly show: (style: BadgeStyle, title: string) => Promise<void>;
  readonly showSeed: (seed: string | null) => Promise<void>;
  readonly now: () => number;
  readonly thresholds: Thresholds;
  readonly wording: () => Wording;
  readonly log?: (event: string, data?: Record<string, unknown>) => void;
}

export function createBadgePainter(deps: PainterDeps): { paint(): Promise<void> } {
  let queue: Promise<void> = Promise.resolve();
  // What was last handed to the browser by this worker, so an unchanged picture costs no calls. A new
  // worker starts with nothing and paints everything once.
  let shownBadge: string | null = null;
  let shownSeed: string | null | undefined;
  return {
    paint() {
      queue = queue
        .then(async () => {
          const { state, settings, mutes, seed } = await deps.load();
          const now = deps.now();
          const muted = mutedIds(mutes, state, now);
          const badge = badgeFor(state, settings, now, deps.thresholds, deps.wording(), muted);
          const badgeKey = JSON.stringify(badge);
          if (badgeKey !== shownBadge) {
            shownBadge = null; // a show that fails half-way is shown again next time
            await deps.show(badge.style, badge.title);
            shownBadge = badgeKey;
          }
          if (seed !== shownSeed) {
            shownSeed = undefined;
            await deps.showSeed(seed);
            shownSeed = seed;
          }
        })
        .catch((e: unknown) =>
          deps.log?.('paint-error', { message: e instanceof Error ? e.message : String(e) }),
        );
      return queue;
    },
  };
}
