// Muting one app: no notices about it, and it leaves the badge's count and colour, while its row still
// shows what it is doing. A mute is state, not a setting (it ends by itself): kept in storage under its
// own key next to the pause, read here like every stored value, and judged against the time and the
// app's state, so it expires with no one writing anything.

import { bool, INVALID, isRecord, num, objectOf } from './plain-read';
import { type ServiceId, serviceIdsOf } from './services';
import type { MonitorState } from './types';

export type MuteFor = '1h' | '4h' | 'until-back';
export const MUTE_FOR: readonly MuteFor[] = ['1h', '4h', 'until-back'];

export interface Mute {
  /** When the user muted it. */
  readonly since: number;
  /** When it ends at the latest. */
  readonly until: number;
  /** It also ends once the app is up again after `since`. */
  readonly untilBack: boolean;
}

export type Mutes = Readonly<Partial<Record<ServiceId, Mute>>>;

const HOUR = 60 * 60_000;
/**
 * How long each choice lasts at most. "Until it is back" of an app that never fails again would
 * last forever, silently: a week covers the longest outages and national blocks in the seeds.
 */
export const MUTE_MS: Readonly<Record<MuteFor, number>> = {
  '1h': HOUR,
  '4h': 4 * HOUR,
  'until-back': 168 * HOUR,
};

export function muteFor(kind: MuteFor, now: number): Mute {
  return { since: now, until: now + MUTE_MS[kind], untilBack: kind === 'until-back' };
}

/** Muted now: before its end, and for "until back", the app not yet up again since it was muted. */
export function isMuted(mute: Mute | undefined, state: MonitorState, id: ServiceId, now: number): boolean {
  if (!mute || now >= mute.until || now < mute.since) return false;
  const s = state.services[id];
  return !(mute.untilBack && s?.status === 'up' && s.since >= mute.since);
}

/** The apps muted now: the catalog's in its order, then the user's own. */
export function mutedIds(mutes: Mutes, state: MonitorState, now: number): ServiceId[] {
  return serviceIdsOf(mutes).filter((id) => isMuted(mutes[id], state, id, now));
}

/** The mutes still in force, to write back with a change (ended ones are dropped, not kept forever). */
export function liveMutes(mutes: Mutes, state: MonitorState, now: number): Mutes {
  return Object.fromEntries(mutedIds(mutes, state, now).map((id) => [id, mutes[id]]));
}

/** The mutes after the user mutes an app (or ends its mute, with null); ended ones are dropped. */
export function withMute(
  mutes: Mutes,
  state: MonitorState,
  id: ServiceId,
  kind: MuteFor | null,
  now: number,
): Mutes {
  const { [id]: _ended, ...rest } = liveMutes(mutes, state, now);
  return kind === null ? rest : { ...rest, [id]: muteFor(kind, now) };
}

const readMute = objectOf({ since: num, until: num, untilBack: bool });

/**
 * Mutes as stored; an entry that does not read is dropped alone, and so is one that ends before it
 * starts or lasts longer than any choice (a tampered `until` would otherwise mute an app for good).
 */
export function readMutes(stored: unknown): Mutes {
  if (!isRecord(stored)) return {};
  const out: Partial<Record<ServiceId, Mute>> = {};
  for (const id of serviceIdsOf(stored)) {
    const mute = readMute(stored[id]);
    if (mute === INVALID) continue;
    const length = mute.until - mute.since;
    if (length > 0 && length <= MUTE_MS['until-back']) out[id] = mute;
  }
  return out;
}
