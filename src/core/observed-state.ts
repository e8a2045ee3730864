// What the probes' verdict tells the feed, on its own: the scope rule (scope.ts, in the popup's first
// paint) needs it, and importing it from observe.ts would bring the feed's schemas into the popup.

import type { ObservedState } from '../shared/feed';
import type { Status } from './types';

/** Up or slow → "up", down → "down", unknown → nothing (null). */
export function observedStateOf(probe: Status): ObservedState | null {
  if (probe === 'down') return 'down';
  return probe === 'up' || probe === 'degraded' ? 'up' : null;
}
