import { isServiceId, type ServiceId } from '../core/catalog';
import type { History } from '../core/history';
import type { Outage } from '../core/outages';
import type { ReportOutcome } from '../core/report';
import type { Settings } from '../core/settings';
import type { MonitorState } from '../core/types';
import { type FeedDocument, PROBLEMS, type Problem } from './feed';

/** What the UI sees: one consistent picture of the monitor. */
export interface Snapshot {
  readonly state: MonitorState;
  readonly settings: Settings;
  readonly history: History;
  readonly outages: readonly Outage[];
  /** The crowd-report feed as last read, when one is configured. */
  readonly crowd: {
    readonly feed: FeedDocument | null;
    readonly problem: string | null;
    readonly fetchedAt: number;
  } | null;
  /** Notifications are paused until then (null: not paused). */
  readonly snoozedUntil: number | null;
  /** A check is running now. */
  readonly checking: boolean;
  /** Results are older than two check intervals (or there are none yet). */
  readonly stale: boolean;
  /** The background's clock when the snapshot was made, so "20 s ago" is right in the UI. */
  readonly now: number;
}

export type SettingsPatch = Partial<Omit<Settings, 'version'>>;

/** Requests from the UI to the background, and what each answers. */
export interface RequestMap {
  'get-state': { request: undefined; response: Snapshot };
  'check-now': { request: undefined; response: Snapshot };
  'update-settings': { request: { patch: SettingsPatch }; response: Snapshot };
  snooze: { request: { until: number | null }; response: Snapshot };
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

/** Pushed by the background whenever the snapshot changes. */
export interface StateChangedEvent {
  readonly type: 'state-changed';
  readonly snapshot: Snapshot;
}

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
  'get-state': true,
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

export function isStateChangedEvent(message: unknown): message is StateChangedEvent {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === 'state-changed'
  );
}
