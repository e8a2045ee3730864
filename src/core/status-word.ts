// The word a popup row gives its status: the row draws it, and the seed carries it (first-paint-words.ts).

import type { MessageKey } from './messages';
import type { ServiceState, Status } from './types';

const STATUS_WORD: Record<Status, MessageKey> = {
  up: 'statusUp',
  down: 'statusDown',
  degraded: 'statusDegraded',
  unknown: 'statusUnknown',
};

/**
 * The word for a row's status. Degraded has three: "unstable" when the probes find the service slow
 * (or an official minor incident), "possible outage" when it answers here and many people report
 * problems (or most other networks can't reach it), "not from here" when it fails here while other
 * networks reach it. Going up and down is not a status: the row says up or down, with a tag.
 */
export function statusWord(state: ServiceState | undefined): MessageKey {
  if (state?.status === 'degraded' && state.cause === 'crowd') return 'statusPossibleOutage';
  if (state?.status === 'degraded' && state.cause === 'local') return 'statusLocal';
  return STATUS_WORD[state?.status ?? 'unknown'];
}
