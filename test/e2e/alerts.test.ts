// Alerts end to end: the built extension in headless Chromium, notifications read back with
// chrome.notifications.getAll(), official status served by the fake internet.
import { describe, expect, it } from 'vitest';
import { POPUP_PATH } from './extension';
import { updateSettings } from './options-page';
import { useChromium } from './session';

interface ChromeLike {
  notifications: { getAll(): Promise<Record<string, boolean>> };
  storage: { local: { get(key: string): Promise<Record<string, unknown>> } };
}

const DISCORD_MAJOR = JSON.stringify({
  page: { id: 'x', name: 'Discord' },
  status: { indicator: 'major', description: 'Major System Outage' },
  components: [{ id: 'a', name: 'API', status: 'major_outage' }],
  incidents: [{ id: 'i', name: 'Messages failing to send', status: 'investigating', impact: 'major' }],
  scheduled_maintenances: [],
});

const launched = useChromium({
  beforeLaunch: (internet) =>
    internet.route('discordstatus.com', '/api/v2/summary.json', () => ({
      headers: { 'content-type': 'application/json' },
      body: DISCORD_MAJOR,
    })),
});

async function notificationIds(): Promise<string[]> {
  const { ext } = launched();
  const all = await ext.worker.evaluate(() =>
    (globalThis as unknown as { chrome: ChromeLike }).chrome.notifications.getAll(),
  );
  return Object.keys(all).sort();
}

/** Runs one check and waits until it is saved. */
const check = (): Promise<void> => launched().ext.runCheck(60_000);

describe('notifications (Chromium, fake internet)', () => {
  it('sends exactly one down notification for a WhatsApp outage, however long it lasts', async () => {
    const { internet } = launched();
    await check();
    expect(await notificationIds()).toEqual([]);
    internet.setHost('web.whatsapp.com', 'reset');
    for (let i = 0; i < 4; i++) await check();
    const ids = await notificationIds();
    expect(ids).toHaveLength(1);
    expect(ids[0]).toMatch(/^detour:down-whatsapp-\d+$/);
  });

  it('sends exactly one "back" notification after recovery, with the duration', async () => {
    const { internet, ext } = launched();
    internet.reset();
    for (let i = 0; i < 3; i++) await check();
    const ids = await notificationIds();
    expect(ids.filter((id) => id.startsWith('detour:back-whatsapp-'))).toHaveLength(1);
    expect(ids.filter((id) => id.startsWith('detour:down-whatsapp-'))).toHaveLength(1);
    // The text is kept by Chromium; the duration is in the body ("It was down for …").
    const targets = await ext.worker.evaluate(() =>
      (globalThis as unknown as { chrome: ChromeLike }).chrome.storage.local.get('noticeTargets'),
    );
    const records = Object.entries(
      targets.noticeTargets as Record<string, { title: string; message: string }>,
    );
    const back = records.find(([id]) => id.startsWith('detour:back-whatsapp-'))?.[1];
    expect(back?.title).toBe('WhatsApp is back');
    expect(back?.message).toMatch(/^It was down for (under a minute|\d+ min)\.$/);
    const down = records.find(([id]) => id.startsWith('detour:down-whatsapp-'))?.[1];
    expect(down?.message).toBe('Your connection works. Reach people on Telegram instead.');
  });

  it('sends nothing for an offline period, going offline or coming back', async () => {
    const { internet } = launched();
    const before = await notificationIds();
    internet.setDefault('reset');
    for (let i = 0; i < 3; i++) await check();
    internet.reset();
    for (let i = 0; i < 3; i++) await check();
    expect(await notificationIds()).toEqual(before);
  });
});

describe('official status (Chromium, fake internet)', () => {
  it('turns Discord down on a Statuspage major outage even while its probe answers', async () => {
    const { ext, internet } = launched();
    internet.reset();
    const page = await ext.openPage(POPUP_PATH);
    await updateSettings(page, { watched: ['whatsapp', 'telegram', 'signal', 'discord'] });
    await check();
    await page.reload();
    const row = page.locator('[data-service="discord"][data-status]');
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('down');
    await row.locator('details.why summary').click();
    const why = await row.locator('details.why').innerText();
    expect(why).toContain('official status page reports a major outage');
    expect(why).toContain('Messages failing to send');
    // The probe itself answered.
    expect(internet.requests.some((r) => r.host === 'discord.com')).toBe(true);
    await page.close();
  });
});
