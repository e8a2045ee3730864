import { isServiceId, type ServiceId } from '../core/catalog';
import type { ReportOutcome } from '../core/report';
import type { Settings } from '../core/settings';
import { PROBLEMS, type Problem } from './feed';

export type SettingsPatch = Partial<Omit<Settings, 'version'>>;

/**
 * Actions from the pages to the background, and what each answers. Pages never ask for state: they
 * read it from storage and follow its changes (src/platform/snapshot.ts).
 */
export interface RequestMap {
  /** Answers once the check has ended (a check already running is joined). */
  'check-now': { request: undefined; response: null };
  /** Answers once the settings are saved; a check with them follows. */
  'update-settings': { request: { patch: SettingsPatch }; response: null };
  snooze: { request: { until: number | null }; response: null };
  report: { request: { service: ServiceId; problem: Problem }; response: ReportOutcome };
}
export type RequestType = keyof RequestMap;
type BodyOf<K extends RequestType> = RequestMap[K]['request'] extends undefined
  ? unknown
  : RequestMap[K]['request'];
export type Request = { [K in RequestType]: { type: K } & BodyOf<K> }[RequestType];
/** The arguments after the type: none for requests without a body. */
export type RequestArgs<K extends RequestType> = RequestMap[K]['request'] extends undefined
  ? []
  : [RequestMap[K]['request']];

/** Errors cross the boundary as data and are re-thrown on the other side. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

export class ProtocolError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

// A record, not a list: the compiler refuses it until every request type is in it.
const REQUEST_TYPES: readonly string[] = Object.keys({
  'check-now': true,
  'update-settings': true,
  snooze: true,
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
      isServiceId(service) && typeof problem === 'string' && (PROBLEMS as readonly string[]).includes(problem)
    );
  }
  if (type === 'snooze') {
    const { until } = message as { until?: unknown };
    return until === null || (typeof until === 'number' && Number.isFinite(until));
  }
  return true;
}
