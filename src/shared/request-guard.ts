// Checks a message's shape before the background acts on it: messages arrive as unknown. Apart from
// protocol.ts (types and the error class, which pages need) because only the background checks.

import { MUTE_FOR } from '../core/mutes';
import { isCatalogId, isServiceId } from '../core/services';
import { PROBLEMS } from './feed';
import type { Request, RequestType } from './protocol';

// A record, not a list: the compiler refuses it until every request type is in it.
const REQUEST_TYPES: readonly string[] = Object.keys({
  'check-now': true,
  'update-settings': true,
  snooze: true,
  mute: true,
  report: true,
} satisfies Record<RequestType, true>);

/** Messages arrive as unknown: check the shape before acting on one. */
export function isRequest(message: unknown): message is Request {
  if (typeof message !== 'object' || message === null) return false;
  const { type } = message as { type?: unknown };
  if (typeof type !== 'string' || !REQUEST_TYPES.includes(type)) return false;
  if (type === 'update-settings') {
    const { patch } = message as { patch?: unknown };
    return typeof patch === 'object' && patch !== null && !Array.isArray(patch);
  }
  if (type === 'report') {
    const { service, problem } = message as { service?: unknown; problem?: unknown };
    return (
      isCatalogId(service) && typeof problem === 'string' && (PROBLEMS as readonly string[]).includes(problem)
    );
  }
  if (type === 'mute') {
    const m = message as { service?: unknown; for?: unknown };
    return isServiceId(m.service) && (m.for === null || (MUTE_FOR as readonly unknown[]).includes(m.for));
  }
  if (type === 'snooze') {
    const { until } = message as { until?: unknown };
    return until === null || (typeof until === 'number' && Number.isFinite(until));
  }
  return true;
}
