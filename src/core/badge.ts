import type { ServiceId } from './services';
import { isStale } from './stale';
import type { Thresholds } from './thresholds';
import type { MonitorState, ServiceState, Status } from './types';

/** The badge states of the contract (§3), most urgent first. */
export type BadgeKind = 'stale' | 'offline' | 'primary-down' | 'other-down' | 'degraded' | 'quiet';

export interface BadgeStyle {
  readonly text: string;
  readonly color: string | null;
  readonly textColor: string | null;
}

// Text differs between every non-quiet state, so the badge never relies on colour alone.
export const BADGE_STYLES: Record<BadgeKind, BadgeStyle> = {
  quiet: { text: '', color: null, textColor: null },
  'primary-down': { text: '!', color: '#C5221F', textColor: '#FFFFFF' },
  'other-down': { text: '•', color: '#F29900', textColor: '#000000' },
  degraded: { text: '?', color: '#F29900', textColor: '#000000' },
  offline: { text: '×', color: '#5F6368', textColor: '#FFFFFF' },
  stale: { text: '…', color: '#5F6368', textColor: '#FFFFFF' },
};

export interface BadgeInput {
  readonly state: MonitorState;
  readonly primary: ServiceId;
  readonly watched: readonly ServiceId[];
  readonly intervalSeconds: number;
  readonly now: number;
  readonly thresholds: Thresholds;
  /** Apps muted now: the badge leaves them out (src/core/mutes.ts). */
  readonly muted?: readonly ServiceId[];
}

export function badgeKind(input: BadgeInput): BadgeKind {
  const { state, primary } = input;
  const watched = input.watched.filter((id) => !input.muted?.includes(id));
  if (isStale(state, input.now, input.intervalSeconds, input.thresholds)) return 'stale';
  if (state.connectivity !== 'online') return 'offline';
  const statusOf = (id: ServiceId): Status => state.services[id]?.status ?? 'unknown';
  // Down is the fused verdict: a service that fails only from this network while other networks
  // reach it is degraded (cause 'local'), so it is the amber "?", never the red "!".
  if (watched.includes(primary) && statusOf(primary) === 'down') return 'primary-down';
  if (watched.some((id) => statusOf(id) === 'down')) return 'other-down';
  // An app that answers but keeps going up and down is worth the amber "?" too (the legend says so).
  if (watched.some((id) => statusOf(id) === 'degraded' || flapping(state.services[id]))) return 'degraded';
  return 'quiet';
}

/** Up, but going up and down: the flag beside the status (a service that fails is down instead). */
export function flapping(s: ServiceState | undefined): boolean {
  return s?.status === 'up' && s.unstable;
}

/** The settings the badge depends on; nothing else of them changes it. */
export interface BadgeSettings {
  readonly primary: ServiceId;
  readonly watched: readonly ServiceId[];
  readonly checkIntervalSeconds: number;
}

export function badgeInputOf(
  state: MonitorState,
  settings: BadgeSettings,
  now: number,
  thresholds: Thresholds,
  muted: readonly ServiceId[] = [],
): BadgeInput {
  return {
    state,
    primary: settings.primary,
    watched: settings.watched,
    intervalSeconds: settings.checkIntervalSeconds,
    now,
    thresholds,
    muted,
  };
}

/** The badge a page's snapshot stands for: the same function the painter uses, with its thresholds. */
export function snapshotBadge(snapshot: {
  readonly state: MonitorState;
  readonly settings: BadgeSettings;
  readonly now: number;
  readonly thresholds: Thresholds;
  readonly muted: readonly ServiceId[];
}): BadgeKind {
  const { state, settings, now, thresholds, muted } = snapshot;
  return badgeKind(badgeInputOf(state, settings, now, thresholds, muted));
}
