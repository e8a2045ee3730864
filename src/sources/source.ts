import type { ServiceId } from '../core/catalog';
import type { Thresholds } from '../core/thresholds';
import type { ConnectivityObservation, MonitorState, ServiceObservation } from '../core/types';
import type { AttemptEnv } from './http-attempt';

/** What a signal source may use: injected, so the same sources run in the browser, Node and tests. */
export interface SourceContext extends AttemptEnv {
  readonly sleep: (ms: number) => Promise<void>;
  readonly thresholds: Thresholds;
  readonly watched: readonly ServiceId[];
  readonly previous: MonitorState;
  readonly onLine: boolean;
  /** Whether the user granted host permission for this URL's origin (readable statuses, portal check). */
  readonly canRead: (url: string) => boolean;
}

/** Everything one check observes, keyed by source; later sources (official status, crowd) add keys. */
export interface Observations {
  readonly probes: readonly ServiceObservation[];
  readonly connectivity: ConnectivityObservation;
}

export interface SignalSource<K extends keyof Observations> {
  readonly id: K;
  observe(ctx: SourceContext): Promise<Observations[K]>;
}
