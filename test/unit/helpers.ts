import en from '../../_locales/en/messages.json';
import type { CustomApp } from '../../src/core/custom-apps';
import { DEFAULT_THRESHOLDS } from '../../src/core/thresholds';
import { translatorFor } from '../../src/core/translate';
import type { Attempt, ConnectivityObservation, ServiceState } from '../../src/core/types';

export const T = DEFAULT_THRESHOLDS;
export const t = translatorFor(en);

/** A check that reached both connectivity controls. */
export const CONNECTED: ConnectivityObservation = {
  onLine: true,
  controls: [
    { id: 'a', reachable: true },
    { id: 'b', reachable: true },
  ],
  portal: 'unchecked',
};

/** Attempt shorthands: ok, slow, net (connection failed), timeout, http503. */
export const ok: Attempt = { kind: 'reachable', latencyMs: 120, status: null };
export const slow: Attempt = { kind: 'slow', latencyMs: 3200, status: null };
export const net: Attempt = { kind: 'network', latencyMs: 30 };
export const timeout: Attempt = { kind: 'timeout', latencyMs: 4000 };
export const http503: Attempt = { kind: 'http', latencyMs: 80, status: 503 };

export const MIN = 60_000;
export const T0 = Date.UTC(2026, 10, 23, 14, 2);

export function serviceState(partial: Partial<ServiceState> = {}): ServiceState {
  return {
    probeStatus: partial.status ?? 'up',
    confidence: 'medium',
    maintenance: false,
    cause: null,
    status: 'up',
    since: T0 - 60 * MIN,
    checkedAt: T0 - MIN,
    latencyMs: 100,
    reasons: [],
    recent: ['up', 'up', 'up'],
    unstable: false,
    scope: null,
    ...partial,
  };
}

/** The attempts of one check that confirms a failure: as many failures as the threshold asks. */
export const confirmedFailure = (a: Attempt = net): Attempt[] => Array(T.failureAttempts).fill(a);

/** One of the user's own apps, as the settings keep it after the form adds "My Bank". */
export const MY_BANK: CustomApp = {
  id: 'custom-my-bank',
  name: 'My Bank',
  url: 'https://bank.example/',
  statusUrl: null,
  openUrl: null,
};
