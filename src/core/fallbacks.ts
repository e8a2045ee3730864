import { CATALOG } from './catalog';
import type { ProblemFocus } from './problem-focus';
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
 *
 * When the crowd's reports are mostly about one function (problem-focus.ts), the channels for the
 * other function come first, each group in the user's order: the phone when calls fail (a call is
 * what the user was trying to make), another messenger when messages fail (their calls may still work,
 * but a message to many people is what a phone can't do).
 */
export function rankFallbacks(
  primary: ServiceId,
  fallbacks: readonly ChannelId[],
  state: MonitorState,
  focus: ProblemFocus | null = null,
): FallbackChoice[] {
  if (state.connectivity !== 'online') return [];
  const primaryState = state.services[primary];
  const primaryStatus = primaryState?.status;
  if (primaryStatus !== 'down' && primaryStatus !== 'degraded' && !primaryState?.unstable) return [];
  const failingProvider = CATALOG[primary].provider;
  const choices: FallbackChoice[] = [];
  for (const channel of fallbacks) {
    if (channel === primary) continue;
    if (!isServiceId(channel)) {
      choices.push({ channel, status: null });
      continue;
    }
    if (CATALOG[channel].provider === failingProvider) continue;
    const status = state.services[channel]?.status ?? null;
    if (status === 'down' || status === 'degraded' || state.services[channel]?.unstable) continue;
    choices.push({ channel, status });
  }
  if (focus === null) return choices;
  const first = (c: FallbackChoice) => (focus === 'calls' ? c.channel === 'phone' : isServiceId(c.channel));
  return [...choices.filter(first), ...choices.filter((c) => !first(c))];
}
