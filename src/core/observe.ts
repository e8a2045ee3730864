// What an opted-in browser tells the feed, and when (issue 12: the crowd of browsers), as a pure
// planner: the previous sending state, the monitor's state after a check, the settings, the feed's
// hints, the time and two random draws in; the next sending state, the observation to post now (if
// any) and when to wake up to post a pending one out. The background posts it (src/background/
// observe-send.ts) and reports back with observationSent; the bench and `npm run check` run the same
// step. The rules, in order:
// - nothing unless the user turned sharing on, a feed that takes posts is set, the browser's data
//   consent allows it (the caller then gives an observer), this browser is in the feed's sample today,
//   and its own connection works (connectivity 'online': the controls answer);
// - what it says per watched service comes from the probes alone (up or slow: "up", down: "down",
//   unknown: left out), never the fused verdict, which would echo the feed back into it;
// - one batched post per change (any watched service differs from what was last accepted), after a
//   random wait of jitter × spreadSeconds counted from the first unsent change; a change back to what
//   was last accepted cancels it; plus one "still the same" at most every heartbeat (15 min), waited
//   for the same way;
// - the server's Retry-After holds every post back until then; a feed that answers 404 or 405 takes
//   no observations (a static feed): not posted to for a day.

import {
  DEFAULT_OBSERVE_HINTS,
  type Observation,
  type ObservedState,
  type ObserveHints,
} from '../shared/feed';
import type { CrowdCache } from './crowd';
import { observedStateOf } from './observed-state';
import { INVALID, isRecord, num, type Read } from './plain-read';
import { SERVICE_IDS, type ServiceId } from './services';
import type { Settings } from './settings';
import { feedObservationUrl } from './settings-edit';
import type { MonitorState } from './types';

export type ObservedServices = Readonly<Partial<Record<ServiceId, ObservedState>>>;

/** What the sending side remembers between checks (its own storage key). */
export interface ObserveState {
  /** What the feed last accepted (202), where and when; null before the first. */
  readonly sent: { readonly url: string; readonly services: ObservedServices; readonly at: number } | null;
  /** A change (or a heartbeat) waiting for its random wait to end, or to be accepted. */
  readonly pending: { readonly services: ObservedServices; readonly due: number } | null;
  /** No post before this time (the server's Retry-After); null: none. */
  readonly retryAt: number | null;
  /** A feed that refused observations (404/405): not posted to until `until`. */
  readonly readOnly: { readonly url: string; readonly until: number } | null;
}

export const INITIAL_OBSERVE_STATE: ObserveState = {
  sent: null,
  pending: null,
  retryAt: null,
  readOnly: null,
};

/** Timing of the sending side: data with documented defaults, as the thresholds are. */
export interface ObserveRules {
  /** "Still the same" at most this often: the feed counts networks over 15 minutes. */
  readonly heartbeatMs: number;
  /** The feed counts the networks observed over this long (server/ALGORITHM.md §12): a word shared earlier is out of its counts. */
  readonly feedWindowMs: number;
  /** How long a feed that answered 404/405 is left alone. */
  readonly readOnlyMs: number;
  /** A 429 without a readable Retry-After waits this long… */
  readonly retryAfterDefaultSeconds: number;
  /** …and no Retry-After holds posts back longer than this (a hostile feed cannot silence one for years). */
  readonly retryAfterMaxSeconds: number;
}

export const DEFAULT_OBSERVE_RULES: ObserveRules = {
  heartbeatMs: 15 * 60_000,
  feedWindowMs: 15 * 60_000,
  readOnlyMs: 24 * 60 * 60_000,
  retryAfterDefaultSeconds: 60,
  retryAfterMaxSeconds: 6 * 60 * 60,
};

/**
 * Who sends, decided outside the core (a secret, the browser's consent, its languages): the rotating
 * client id for this feed and day, the country when the user and the browser allow it, and the day's
 * sampling draw in [0, 1), derived from the same secret so it holds all day. Null when sharing is off
 * or the browser's data consent withholds it: nothing is sent then.
 */
export interface Observer {
  readonly client: string;
  readonly country: string | null;
  readonly sampleDraw: number;
}

export interface ObserveInput {
  readonly previous: ObserveState;
  /** The monitor's state after the check. */
  readonly monitor: MonitorState;
  readonly settings: Pick<Settings, 'shareObservations' | 'feedUrl' | 'watched'>;
  /** The feed's hints (its `observe` field), or DEFAULT_OBSERVE_HINTS. */
  readonly hints: ObserveHints;
  readonly observer: Observer | null;
  /** Fresh for each check, in [0, 1): the share of spreadSeconds to wait before posting. */
  readonly jitter: number;
  readonly now: number;
  readonly rules?: ObserveRules;
}

export interface ObservePlan {
  readonly state: ObserveState;
  /** To post now to feedObservationUrl(feedUrl); null: nothing to post. */
  readonly send: Observation | null;
  /** When a pending post falls due (wake up then if no check comes first); null: nothing waits. */
  readonly wakeAt: number | null;
}

/** The feed's hints as last read, else the defaults (every browser, spread over 60 s). */
export function observeHintsOf(cache: CrowdCache | null): ObserveHints {
  return cache?.feed?.observe ?? DEFAULT_OBSERVE_HINTS;
}

/** What the probes alone say of the watched services (observedStateOf), unknown left out. */
export function probeObservations(monitor: MonitorState, watched: readonly ServiceId[]): ObservedServices {
  const out: Partial<Record<ServiceId, ObservedState>> = {};
  for (const id of SERVICE_IDS) {
    const probe = watched.includes(id) ? monitor.services[id]?.probeStatus : undefined;
    const state = probe === undefined ? null : observedStateOf(probe);
    if (state !== null) out[id] = state;
  }
  return out;
}

/**
 * What this browser told the feed it shares with, that the feed still counts at `now`: its last
 * accepted word, within the feed's window. Its own network is in those counts, so the scope rule
 * (scope.ts) must not take it for another one. Nothing when sharing is off or the feed changed.
 */
export function sharedInFeed(
  state: ObserveState,
  settings: Pick<Settings, 'shareObservations' | 'feedUrl'>,
  now: number,
  rules: ObserveRules = DEFAULT_OBSERVE_RULES,
): ObservedServices {
  const { sent } = state;
  const url = observationUrl(settings);
  if (url === null || sent === null || sent.url !== url) return {};
  return sent.at <= now && now - sent.at < rules.feedWindowMs ? sent.services : {};
}

export function sameServices(a: ObservedServices, b: ObservedServices): boolean {
  return SERVICE_IDS.every((id) => a[id] === b[id]);
}

const isEmpty = (services: ObservedServices) => SERVICE_IDS.every((id) => services[id] === undefined);

/** Where observations go under these settings; null when nothing may be posted (off, no feed, static feed). */
export function observationUrl(settings: Pick<Settings, 'shareObservations' | 'feedUrl'>): string | null {
  if (!settings.shareObservations || !settings.feedUrl) return null;
  try {
    return feedObservationUrl(settings.feedUrl);
  } catch {
    return null;
  }
}

export function planObservation(input: ObserveInput): ObservePlan {
  const { previous, monitor, settings, hints, observer, now } = input;
  const rules = input.rules ?? DEFAULT_OBSERVE_RULES;
  const retryAt = previous.retryAt !== null && previous.retryAt > now ? previous.retryAt : null;
  const readOnly = previous.readOnly !== null && previous.readOnly.until > now ? previous.readOnly : null;
  const idle = (state: ObserveState): ObservePlan => ({ state, send: null, wakeAt: null });

  const url = observationUrl(settings);
  // Off (or no consent, or no feed that takes posts): forget what was sent, so turning it on again
  // starts with a fresh picture; keep what the server said about waiting.
  if (url === null || observer === null) return idle({ ...INITIAL_OBSERVE_STATE, retryAt, readOnly });
  if (readOnly?.url === url) return idle({ ...previous, pending: null, retryAt, readOnly });
  if (!(observer.sampleDraw < hints.sample)) return idle({ ...previous, pending: null, retryAt, readOnly });
  // Offline or behind a login page: nothing can be said, and nothing could be posted; what waits, waits.
  if (monitor.connectivity !== 'online') return idle({ ...previous, retryAt, readOnly });

  const current = probeObservations(monitor, settings.watched);
  const sent = previous.sent?.url === url ? previous.sent : null;
  const changed = sent === null || !sameServices(current, sent.services);
  // A clock set back makes the last post look from the future: say "still the same" then too.
  const heartbeatDue = sent !== null && (now - sent.at >= rules.heartbeatMs || sent.at > now);
  let pending: ObserveState['pending'] = null;
  if (!isEmpty(current) && (changed || heartbeatDue)) {
    // The wait counts from the first unsent change: a service that keeps changing cannot put it off.
    // A due time beyond any wait the feed asks for (a clock set back, a tampered store) is drawn again.
    const spreadMs = hints.spreadSeconds * 1000;
    const kept = previous.pending?.due;
    const due =
      kept !== undefined && kept <= now + spreadMs ? kept : now + Math.floor(input.jitter * spreadMs);
    pending = { services: current, due };
  }
  const state: ObserveState = { sent, pending, retryAt, readOnly };
  if (pending === null) return idle(state);
  const sendAt = Math.max(pending.due, retryAt ?? 0);
  if (sendAt > now) return { state, send: null, wakeAt: sendAt };
  const send: Observation = {
    client: observer.client,
    ...(observer.country ? { country: observer.country } : {}),
    services: pending.services,
  };
  return { state, send, wakeAt: null };
}

/** What came of a post, as the sending side needs it. */
export type SendOutcome =
  | { readonly kind: 'accepted' }
  | { readonly kind: 'rate-limited'; readonly retryAfterSeconds: number | null }
  /** 404 or 405: this feed takes no observations. */
  | { readonly kind: 'read-only' }
  /** Anything else (unreachable, timeout, 5xx, a refusal): the change stays pending for the next check. */
  | { readonly kind: 'failed' };

/** Classifies an HTTP answer to a post (status null: no answer at all). Only 202 counts as accepted. */
export function sendOutcome(status: number | null, retryAfter: string | null): SendOutcome {
  if (status === 202) return { kind: 'accepted' };
  if (status === 429) {
    // Seconds only; an HTTP date (or nothing readable) waits the default.
    const text = retryAfter?.trim() ?? '';
    const seconds = /^\d+$/.test(text) ? Number(text) : null;
    return { kind: 'rate-limited', retryAfterSeconds: seconds };
  }
  if (status === 404 || status === 405) return { kind: 'read-only' };
  return { kind: 'failed' };
}

/** The sending state after posting `sent` to `url` at `now`: marked sent only when accepted. */
export function observationSent(
  state: ObserveState,
  url: string,
  sent: Observation,
  outcome: SendOutcome,
  now: number,
  rules: ObserveRules = DEFAULT_OBSERVE_RULES,
): ObserveState {
  switch (outcome.kind) {
    case 'accepted': {
      const stillPending = state.pending && !sameServices(state.pending.services, sent.services);
      return {
        ...state,
        sent: { url, services: sent.services, at: now },
        pending: stillPending ? state.pending : null,
        retryAt: null,
      };
    }
    case 'rate-limited': {
      const seconds = Math.min(
        outcome.retryAfterSeconds ?? rules.retryAfterDefaultSeconds,
        rules.retryAfterMaxSeconds,
      );
      return { ...state, retryAt: now + Math.ceil(seconds) * 1000 };
    }
    case 'read-only':
      return { ...state, pending: null, readOnly: { url, until: now + rules.readOnlyMs } };
    default:
      return state;
  }
}

const observedServices: Read<ObservedServices> = (x) => {
  if (!isRecord(x)) return INVALID;
  const out: Partial<Record<ServiceId, ObservedState>> = {};
  for (const [id, value] of Object.entries(x)) {
    if (!(SERVICE_IDS as readonly string[]).includes(id) || (value !== 'up' && value !== 'down'))
      return INVALID;
    out[id as ServiceId] = value;
  }
  return out;
};

/** Reads the sending state back from storage, part by part: a part that fails is forgotten alone. */
export function readObserveState(stored: unknown): ObserveState {
  if (!isRecord(stored)) return INITIAL_OBSERVE_STATE;
  const part = <T>(raw: unknown, read: (r: Record<string, unknown>) => T | typeof INVALID): T | null => {
    if (!isRecord(raw)) return null;
    const value = read(raw);
    return value === INVALID ? null : value;
  };
  const time = (x: unknown) => {
    const n = num(x);
    return n !== INVALID && Number.isFinite(n) ? n : INVALID;
  };
  const sent = part(stored.sent, (r) => {
    const services = observedServices(r.services);
    const at = time(r.at);
    return typeof r.url === 'string' && services !== INVALID && at !== INVALID
      ? { url: r.url, services, at }
      : INVALID;
  });
  const pending = part(stored.pending, (r) => {
    const services = observedServices(r.services);
    const due = time(r.due);
    return services !== INVALID && due !== INVALID ? { services, due } : INVALID;
  });
  const readOnly = part(stored.readOnly, (r) => {
    const until = time(r.until);
    return typeof r.url === 'string' && until !== INVALID ? { url: r.url, until } : INVALID;
  });
  const retryAt = time(stored.retryAt);
  return { sent, pending, retryAt: retryAt === INVALID ? null : retryAt, readOnly };
}
