import type { Settings } from '../core/settings';
import type { CheckRecord, Observations } from '../core/step';
import type { Thresholds } from '../core/thresholds';
import type { HttpEnv } from './http';

/** The I/O a source may use, injected: the same sources run in the browser, in Node and on a virtual clock. */
export interface SourceEnv extends HttpEnv {
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * What a check knows before it observes, built once per check (from storage and the platform). Each
 * source takes from it only its own typed input (`inputOf`), so a source's tests and its callers say
 * exactly what it reads.
 */
export interface CheckContext {
  readonly thresholds: Thresholds;
  readonly settings: Pick<Settings, 'watched' | 'statusPages' | 'feedUrl' | 'customApps'>;
  readonly record: Pick<CheckRecord, 'state' | 'officialCache' | 'crowdCache'>;
  /** navigator.onLine (true where unknown, as in Node). */
  readonly onLine: boolean;
  /** Whether the user granted host permission for this URL's origin (readable statuses, portal check). */
  readonly canRead: (url: string) => boolean;
  /** Wall-clock milliseconds when the check began (polling schedules and cache times). */
  readonly now: number;
}

export interface SignalSource<K extends keyof Observations, Input> {
  readonly id: K;
  inputOf(ctx: CheckContext): Input;
  observe(env: SourceEnv, input: Input): Promise<Observations[K]>;
}
