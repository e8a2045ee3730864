import type { NoticeText } from '../core/notice-text';
import { browser } from './browser';

const PREFIX = 'detour:';

/** What is kept of a shown notification: where a click goes, and its words (for tests and logs). */
interface NoticeRecord {
  readonly url: string | null;
  readonly title: string;
  readonly message: string;
}
const TARGETS_KEY = 'noticeTargets';
const MAX_TARGETS = 20;

/**
 * Shows a notification. Always with an icon (Chrome shows nothing without one). Chrome gets two
 * buttons (open the fallback, mute 1 h); Firefox rejects buttons, so it gets none and the click
 * itself does the main action.
 */
export async function showNotification(id: string, text: NoticeText, muteLabel: string): Promise<void> {
  const notificationId = `${PREFIX}${id}`;
  const base = {
    type: 'basic' as const,
    iconUrl: browser.runtime.getURL('icons/icon-128.png'),
    title: text.title,
    message: text.message,
    priority: 2,
  };
  const buttons = [...(text.openLabel ? [{ title: text.openLabel }] : []), { title: muteLabel }];
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
  targets[notificationId] = { url: text.openUrl, title: text.title, message: text.message };
  const kept = Object.entries(targets).slice(-MAX_TARGETS);
  await browser.storage.local.set({ [TARGETS_KEY]: Object.fromEntries(kept) });
}

async function targetOf(notificationId: string): Promise<{ url: string | null; hasOpenButton: boolean }> {
  const stored = await browser.storage.local.get(TARGETS_KEY);
  const url =
    (stored[TARGETS_KEY] as Record<string, NoticeRecord> | undefined)?.[notificationId]?.url ?? null;
  return { url, hasOpenButton: url !== null };
}

/** Wires clicks: the body opens the fallback (or the popup page); buttons open it or mute. */
export function onNotificationActions(actions: { mute: () => Promise<void> }): void {
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
    void targetOf(notificationId).then(async ({ hasOpenButton }) => {
      if (hasOpenButton && index === 0) await open(notificationId);
      else {
        await actions.mute();
        await browser.notifications.clear(notificationId);
      }
    });
  });
}
