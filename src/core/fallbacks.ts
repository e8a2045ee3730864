import { appEntry } from './catalog';
import { type ChannelId, isServiceId, type ServiceId } from './services';
import type { MonitorState, Status } from './types';

export interface FallbackChoice {
  readonly channel: ChannelId;
  /** The channel's own status when it is a watched service, else null (phone, SMS, email, unwatched). */
  readonly status: Status | null;
}

/**
 * Where to go when the primary is down, degraded or unstable: the user's fallback channels in their
 * order, skipping the primary, channels that are down, degraded or unstable, and every service of
 * the failing provider (WhatsApp down with all of Meta → never Messenger or Instagram: they fail
 * together). Nothing while the user is offline: no channel works then, and the problem is theirs.
 */
export function rankFallbacks(
  primary: ServiceId,
  fallbacks: readonly ChannelId[],
  state: MonitorState,
): FallbackChoice[] {
  if (state.connectivity !== 'online') return [];
  const primaryState = state.services[primary];
  const primaryStatus = primaryState?.status;
  if (primaryStatus !== 'down' && primaryStatus !== 'degraded' && !primaryState?.unstable) return [];
  const failingProvider = appEntry(primary)?.provider ?? primary;
  const choices: FallbackChoice[] = [];
  for (const channel of fallbacks) {
    if (channel === primary) continue;
    if (!isServiceId(channel)) {
      choices.push({ channel, status: null });
      continue;
    }
    if ((appEntry(channel)?.provider ?? channel) === failingProvider) continue;
    const status = state.services[channel]?.status ?? null;
    if (status === 'down' || status === 'degraded' || state.services[channel]?.unstable) continue;
    choices.push({ channel, status });
  }
  return choices;
}
