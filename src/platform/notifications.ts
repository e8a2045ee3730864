import type { MuteFor } from '../core/mutes';
import type { NoticeText } from '../core/notice-text';
import { isServiceId, type ServiceId } from '../core/services';
import { browser } from './browser';
import { saveSnooze } from './storage';

const PREFIX = 'detour:';

/** What is kept of a shown notification: where a click goes, and its words (for tests and logs). */
interface NoticeRecord {
  readonly url: string | null;
  readonly title: string;
  readonly message: string;
  /** The apps it names, and how long its mute button mutes them. */
  readonly services?: readonly ServiceId[];
  readonly muteFor?: MuteFor;
}

/** The mute button of a notification (Chrome): its words, the apps it mutes and for how long. */
export interface MuteButton {
  readonly label: string;
  readonly services: readonly ServiceId[];
  readonly muteFor: MuteFor;
}
const TARGETS_KEY = 'noticeTargets';
const MAX_TARGETS = 20;
/** How long the mute button of a notification shown before per-app mutes pauses every alert. */
const LEGACY_SNOOZE_MS = 60 * 60_000;

/**
 * Shows a notification, or replaces the one shown with that id (an outage that gains an app). Always
 * with an icon (Chrome shows nothing without one). Chrome gets two buttons (open the fallback, mute
 * the apps it names); Firefox rejects buttons, so it gets none and the click does the main action.
 */
export async function showNotification(id: string, text: NoticeText, mute: MuteButton): Promise<void> {
  const notificationId = `${PREFIX}${id}`;
  const base = {
    type: 'basic' as const,
    iconUrl: browser.runtime.getURL('icons/icon-128.png'),
    title: text.title,
    message: text.message,
    priority: 2,
  };
  const buttons = [...(text.openLabel ? [{ title: text.openLabel }] : []), { title: mute.label }];
  try {
    // Not in the polyfill's types, but Chrome's API takes it.
    const withButtons: typeof base = Object.assign({}, base, { buttons });
    await browser.notifications.create(notificationId, withButtons);
  } catch {
    await browser.notifications.create(notificationId, base);
  }
  // The click handler may run in a later worker: remember where this notification leads.
  const stored = await browser.storage.local.get(TARGETS_KEY);
  const targets = { ...((stored[TARGETS_KEY] as Record<string, NoticeRecord> | undefined) ?? {}) };
  targets[notificationId] = {
    url: text.openUrl,
    title: text.title,
    message: text.message,
    services: mute.services,
    muteFor: mute.muteFor,
  };
  const kept = Object.entries(targets).slice(-MAX_TARGETS);
  await browser.storage.local.set({ [TARGETS_KEY]: Object.fromEntries(kept) });
}

async function targetOf(
  notificationId: string,
): Promise<{ url: string | null; hasOpenButton: boolean; services: ServiceId[]; muteFor: MuteFor }> {
  const stored = await browser.storage.local.get(TARGETS_KEY);
  const record: Partial<Record<keyof NoticeRecord, unknown>> | undefined = (
    stored[TARGETS_KEY] as Record<string, Partial<Record<keyof NoticeRecord, unknown>>> | undefined
  )?.[notificationId];
  // Read back as untrusted: a record kept by an older version has no apps (its button muted them all).
  const url = typeof record?.url === 'string' ? record.url : null;
  const services = Array.isArray(record?.services) ? record.services.filter(isServiceId) : [];
  const muteFor = record?.muteFor === 'until-back' ? 'until-back' : '1h';
  return { url, hasOpenButton: url !== null, services, muteFor };
}

/** Wires clicks: the body opens the fallback (or the popup page); buttons open it or mute its apps. */
export function onNotificationActions(actions: {
  mute: (services: readonly ServiceId[], muteFor: MuteFor) => Promise<void>;
}): void {
  const open = async (notificationId: string) => {
    const { url } = await targetOf(notificationId);
    await browser.tabs.create({ url: url ?? browser.runtime.getURL('src/popup/index.html') });
    await browser.notifications.clear(notificationId);
  };
  browser.notifications.onClicked.addListener((notificationId) => {
    if (notificationId.startsWith(PREFIX)) void open(notificationId);
  });
  browser.notifications.onButtonClicked?.addListener((notificationId, index) => {
    if (!notificationId.startsWith(PREFIX)) return;
    void targetOf(notificationId).then(async ({ hasOpenButton, services, muteFor }) => {
      if (hasOpenButton && index === 0) await open(notificationId);
      else {
        if (services.length > 0) await actions.mute(services, muteFor);
        // Shown before the update, it names no apps: its button still does what it said then, pause
        // every alert for an hour, rather than mute nothing.
        else await saveSnooze(Date.now() + LEGACY_SNOOZE_MS);
        await browser.notifications.clear(notificationId);
      }
    });
  });
}
