import type { MuteFor } from '../core/mutes';
import type { ReportOutcome } from '../core/report';
import type { ServiceId } from '../core/services';
import type { Settings } from '../core/settings';
import type { Problem } from './feed';

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
  /** Mutes one app for a while (src/core/mutes.ts); `for: null` ends its mute. */
  mute: { request: { service: ServiceId; for: MuteFor | null }; response: null };
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
