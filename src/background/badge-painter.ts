// The one place that paints the toolbar badge: from the stored state and the settings in force, read
// afresh for every paint. A check that ends, a new main app, a wake after a sleep: each only asks for a
// paint, and paints run one after another, so an older picture can never be painted over a newer one.

import type { BadgeStyle } from '../core/badge';
import { type Mutes, mutedIds } from '../core/mutes';
import type { Settings } from '../core/settings';
import { badgeFor, type Wording } from '../core/step';
import type { Thresholds } from '../core/thresholds';
import type { MonitorState } from '../core/types';

export interface PainterDeps {
  readonly load: () => Promise<{ state: MonitorState; settings: Settings; mutes: Mutes }>;
  readonly show: (style: BadgeStyle, title: string) => Promise<void>;
  readonly now: () => number;
  readonly thresholds: Thresholds;
  readonly wording: () => Wording;
  readonly log?: (event: string, data?: Record<string, unknown>) => void;
}

export function createBadgePainter(deps: PainterDeps): { paint(): Promise<void> } {
  let queue: Promise<void> = Promise.resolve();
  return {
    paint() {
      queue = queue
        .then(async () => {
          const { state, settings, mutes } = await deps.load();
          const now = deps.now();
          const muted = mutedIds(mutes, state, now);
          const badge = badgeFor(state, settings, now, deps.thresholds, deps.wording(), muted);
          await deps.show(badge.style, badge.title);
        })
        .catch((e: unknown) =>
          deps.log?.('paint-error', { message: e instanceof Error ? e.message : String(e) }),
        );
      return queue;
    },
  };
}
