import { type GroupApp, groupApp } from './backup-group';
import { providerOf } from './catalog';
import type { Contact } from './contacts';
import type { ProblemFocus } from './problem-focus';
import { type ChannelId, isServiceId, type ServiceId } from './services';
import type { MonitorState, Status } from './types';

export interface FallbackChoice {
  readonly channel: ChannelId;
  /** The channel's own status when it is a watched service, else null (phone, SMS, email, unwatched). */
  readonly status: Status | null;
}

/** Whether the way out is wanted: online, and the primary down, degraded or unstable. */
export function primaryFailing(primary: ServiceId, state: MonitorState): boolean {
  if (state.connectivity !== 'online') return false;
  const primaryState = state.services[primary];
  const status = primaryState?.status;
  return status === 'down' || status === 'degraded' || primaryState?.unstable === true;
}

/** A channel that is of no use now: down, degraded or unstable (null status: not watched, unknown). */
export function channelFailing(channel: ServiceId, state: MonitorState): boolean {
  const s = state.services[channel];
  return s?.status === 'down' || s?.status === 'degraded' || s?.unstable === true;
}

/**
 * Where to go when the primary is down, degraded or unstable: the user's fallback channels in their
 * order, skipping the primary, channels that are down, degraded or unstable, and every service of
 * the failing provider (WhatsApp down with all of Meta → never Messenger or Instagram: they fail
 * together). Nothing while the user is offline: no channel works then, and the problem is theirs.
 *
 * When the crowd's reports are mostly about one function (problem-focus.ts), the channels that do
 * that function another way come first, the rest follow, each part in the user's order: the phone
 * when calls fail, another messenger when messages fail.
 */
export function rankFallbacks(
  primary: ServiceId,
  fallbacks: readonly ChannelId[],
  state: MonitorState,
  focus: ProblemFocus | null = null,
): FallbackChoice[] {
  if (!primaryFailing(primary, state)) return [];
  const failingProvider = providerOf(primary);
  const choices: FallbackChoice[] = [];
  for (const channel of fallbacks) {
    if (channel === primary) continue;
    if (!isServiceId(channel)) {
      choices.push({ channel, status: null });
      continue;
    }
    if (providerOf(channel) === failingProvider) continue;
    if (channelFailing(channel, state)) continue;
    choices.push({ channel, status: state.services[channel]?.status ?? null });
  }
  if (focus === null) return choices;
  const first = (c: FallbackChoice) => (focus === 'calls' ? c.channel === 'phone' : isServiceId(c.channel));
  return [...choices.filter(first), ...choices.filter((c) => !first(c))];
}

export interface GroupChoice {
  readonly contact: Contact;
  readonly app: GroupApp;
  readonly link: string;
}

/**
 * The contacts' backup groups to offer while the primary fails: those on an app of another provider
 * that is not failing itself (a Signal group is no way out while Signal is down too).
 */
export function groupsToOpen(
  primary: ServiceId,
  contacts: readonly Contact[],
  state: MonitorState,
): GroupChoice[] {
  if (!primaryFailing(primary, state)) return [];
  return contacts.flatMap((contact) => {
    const app = contact.group === undefined ? null : groupApp(contact.group);
    if (app === null || contact.group === undefined) return [];
    if (providerOf(app) === providerOf(primary) || channelFailing(app, state)) return [];
    return [{ contact, app, link: contact.group }];
  });
}
