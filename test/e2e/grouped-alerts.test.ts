// One alert per outage, alert on down/back, and muting one app, end to end: the built extension in
// headless Chromium watching all of Meta, with the apps failing on the fake internet. Notifications are
// read back with chrome.notifications.getAll() and their words from storage, as in alerts.test.ts.
import { describe, expect, it } from 'vitest';
import { BADGE_STYLES } from '../../src/core/badge';
import { POPUP_PATH } from './extension';
import { updateSettings } from './options-page';
import { useChromium } from './session';

interface ChromeLike {
  notifications: { getAll(): Promise<Record<string, boolean>> };
  storage: { local: { get(key: string): Promise<Record<string, unknown>> } };
}
const META_HOSTS = ['web.whatsapp.com', 'www.messenger.com', 'www.instagram.com'];

const launched = useChromium({
  setUp: async ({ ext }) => {
    const page = await ext.openPage(POPUP_PATH);
    await updateSettings(page, { watched: ['whatsapp', 'messenger', 'instagram', 'telegram', 'signal'] });
    await page.close();
    await ext.runCheck(60_000);
    return {};
  },
});

/** Every notification shown so far, with its words (kept by the extension for its click handler). */
async function shown(): Promise<{ id: string; title: string; message: string }[]> {
  const { ext } = launched();
  const [ids, stored] = await Promise.all([
    ext.worker.evaluate(() =>
      (globalThis as unknown as { chrome: ChromeLike }).chrome.notifications.getAll(),
    ),
    ext.worker.evaluate(() =>
      (globalThis as unknown as { chrome: ChromeLike }).chrome.storage.local.get('noticeTargets'),
    ),
  ]);
  const words = (stored.noticeTargets ?? {}) as Record<string, { title: string; message: string }>;
  return Object.keys(ids)
    .sort()
    .map((id) => ({ id, title: words[id]?.title ?? '', message: words[id]?.message ?? '' }));
}

/** What was shown since `before` (a replaced notification keeps its id, so it is not new). */
const since = async (before: readonly { id: string }[]) =>
  (await shown()).filter((n) => !before.some((b) => b.id === n.id));

const checks = async (n: number) => {
  for (let i = 0; i < n; i++) await launched().ext.runCheck(60_000);
};

describe('one alert per outage (Chromium, fake internet)', () => {
  it('all of Meta failing gives exactly one down and one back notification', async () => {
    const { internet } = launched();
    const before = await shown();
    internet.setHosts(META_HOSTS, 'reset');
    await checks(4);
    const down = await since(before);
    expect(down.map((n) => n.id)).toEqual([expect.stringMatching(/^detour:down-whatsapp-\d+$/)]);
    expect(down[0]?.title).toBe('Meta’s apps are down: WhatsApp, Messenger, Instagram');
    expect(down[0]?.message).toBe('Your connection works. Reach people on Telegram instead.');

    internet.reset();
    await checks(3);
    const after = await since(before);
    expect(after.map((n) => n.id)).toEqual([
      expect.stringMatching(/^detour:back-whatsapp-\d+$/),
      expect.stringMatching(/^detour:down-whatsapp-\d+$/),
    ]);
    const back = after.find((n) => n.id.startsWith('detour:back-'));
    expect(back?.title).toBe('Meta’s apps are back: WhatsApp, Messenger, Instagram');
    expect(back?.message).toMatch(/^They were down for (under a minute|\d+ min)\.$/);
  });

  it('mutes one app from its popup row: the row says so, the badge leaves it, unmute brings it back', async () => {
    const { internet, ext } = launched();
    internet.setHost('www.messenger.com', 'reset');
    const page = await ext.openPage(POPUP_PATH);
    try {
      await checks(2);
      await ext.waitForBadge((b) => b.text === BADGE_STYLES['other-down'].text, 10_000);
      const row = page.locator('li[data-service="messenger"]');
      await page.locator('li[data-service="messenger"][data-status="down"]').waitFor();
      await row.locator('details.mute summary').click();
      await row.locator('[data-action="mute"][data-service="messenger"][data-for="1h"]').click();
      await page.locator('li[data-service="messenger"][data-muted]').waitFor();
      expect(await row.getAttribute('data-status')).toBe('down');
      await ext.waitForBadge((b) => b.text === BADGE_STYLES.quiet.text, 10_000);

      await row.locator('[data-action="unmute"][data-service="messenger"]').click();
      await page.locator('li[data-service="messenger"]:not([data-muted])').waitFor();
      await ext.waitForBadge((b) => b.text === BADGE_STYLES['other-down'].text, 10_000);
    } finally {
      await page.close();
      internet.reset();
      await checks(3);
    }
  });

  it('alerting on "down" only sends the down of an outage, never its back', async () => {
    const { internet, ext } = launched();
    const page = await ext.openPage(POPUP_PATH);
    await updateSettings(page, { alertOn: 'down' });
    await page.close();
    await checks(3);
    const before = await shown();
    internet.setHost('www.instagram.com', 'reset');
    await checks(3);
    internet.reset();
    await checks(3);
    const sent = await since(before);
    expect(sent.map((n) => n.id)).toEqual([expect.stringMatching(/^detour:down-instagram-\d+$/)]);
    expect(sent[0]?.title).toBe('Instagram is down');
  });
});
