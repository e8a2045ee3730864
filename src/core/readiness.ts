import { groupApp } from './backup-group';
import { appEntry, providerOf } from './catalog';
import type { Contact } from './contacts';
import type { CustomApp } from './custom-apps';
import { HANDLE_CHANNELS, type HandleChannel, type Handles } from './handles';
import { type ChannelId, isServiceId, type ServiceId } from './services';

/**
 * How ready the user is before the next outage of their main app, from their settings and contacts
 * alone (nothing is checked on the network). During an outage it is too late to ask a friend for a
 * number or to install an app while everyone else does (Telegram's 70 million sign-ups in a day in
 * October 2021 slowed it down), so the settings and welcome pages show the gaps ahead of time.
 */
export interface Readiness {
  /** Contacts reachable only on the main app (or another app of its provider): nothing else works. */
  readonly stranded: readonly Pick<Contact, 'id' | 'name'>[];
  /** Fallback channels whose handle the user has not entered: the away message can't point there. */
  readonly missingHandles: readonly HandleChannel[];
  /** Each fallback app, with a link to install it and one to open it. */
  readonly apps: readonly FallbackApp[];
  /** No contact is stranded and every fallback that takes a handle has one. */
  readonly ready: boolean;
}

export interface FallbackApp {
  readonly channel: ServiceId;
  /** The app's download page, or its web app when it publishes none. */
  readonly get: string | null;
  /** Its deep link (opens the app when it is installed). */
  readonly open: string | null;
}

/**
 * Where each app publishes its downloads. Kept here, not in the catalog: only readiness uses them.
 * An app without one (Messenger, Instagram, Meet: their web apps work without installing; imo) gets its
 * web link.
 */
const DOWNLOAD_PAGES: Readonly<Partial<Record<string, string>>> = {
  whatsapp: 'https://www.whatsapp.com/download',
  telegram: 'https://telegram.org/apps',
  signal: 'https://signal.org/download/',
  discord: 'https://discord.com/download',
  slack: 'https://slack.com/downloads',
  teams: 'https://www.microsoft.com/microsoft-teams/download-app',
  viber: 'https://www.viber.com/download/',
  line: 'https://line.me/download',
  zoom: 'https://zoom.us/download',
};

/** A channel that keeps working when `primary` fails: not the primary's provider (all of Meta fails together). */
function outsideMain(channel: ChannelId, primary: ServiceId): boolean {
  return !isServiceId(channel) || providerOf(channel) !== providerOf(primary);
}

/** Whether some channel other than the main app reaches this contact: a handle there, or a backup group. */
export function hasSecondWay(contact: Contact, primary: ServiceId): boolean {
  const handles: Handles = contact.handles;
  if (HANDLE_CHANNELS.some((c) => handles[c] !== undefined && outsideMain(c, primary))) return true;
  const app = contact.group === undefined ? null : groupApp(contact.group);
  return app !== null && outsideMain(app, primary);
}

export function readiness(
  primary: ServiceId,
  fallbacks: readonly ChannelId[],
  handles: Handles,
  contacts: readonly Contact[],
  customApps: readonly CustomApp[],
): Readiness {
  const usable = fallbacks.filter((c) => outsideMain(c, primary));
  const stranded = contacts.filter((c) => !hasSecondWay(c, primary)).map(({ id, name }) => ({ id, name }));
  const missingHandles = usable.filter(
    (c): c is HandleChannel =>
      (HANDLE_CHANNELS as readonly string[]).includes(c) && !handles[c as HandleChannel],
  );
  const apps = usable.filter(isServiceId).map((channel) => {
    const { web, app } = appEntry(channel, customApps)?.open ?? { web: null, app: null };
    return { channel, get: DOWNLOAD_PAGES[channel] ?? web, open: app };
  });
  return { stranded, missingHandles, apps, ready: stranded.length === 0 && missingHandles.length === 0 };
}
