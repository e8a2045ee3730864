import type { ServiceId } from '../core/catalog';
import type { Thresholds } from '../core/thresholds';
import type { ConnectivityObservation, MonitorState, ServiceObservation } from '../core/types';
import type { CrowdCache, CrowdObservation } from './crowd';
import type { AttemptEnv } from './http-attempt';
import type { OfficialCache, OfficialObservation } from './official';

/** What a signal source may use: injected, so the same sources run in the browser, Node and tests. */
export interface SourceContext extends AttemptEnv {
  readonly sleep: (ms: number) => Promise<void>;
  readonly thresholds: Thresholds;
  readonly watched: readonly ServiceId[];
  readonly previous: MonitorState;
  readonly onLine: boolean;
  /** Whether the user granted host permission for this URL's origin (readable statuses, portal check). */
  readonly canRead: (url: string) => boolean;
  /** Wall-clock milliseconds (for polling schedules; `clock` is for latencies). */
  readonly now: () => number;
  readonly officialCache: OfficialCache;
  /** The crowd-report feed's base URL (or a static .json feed); empty: no crowd signal. */
  readonly feedUrl: string;
  readonly crowdCache: CrowdCache | null;
  readonly statusPages: Readonly<Partial<Record<ServiceId, string>>>;
}

/** Everything one check observes, keyed by source; later sources (official status, crowd) add keys. */
export interface Observations {
  readonly probes: readonly ServiceObservation[];
  readonly connectivity: ConnectivityObservation;
  readonly official: OfficialObservation;
  readonly crowd: CrowdObservation;
}

export interface SignalSource<K extends keyof Observations> {
  readonly id: K;
  observe(ctx: SourceContext): Promise<Observations[K]>;
}
