// Issue 14's apps in Chromium on the fake internet: a new catalog app (Zoom) that fails shows down, and
// an app of the user's own, added in the settings (its errors shown first), is checked, shown in the
// popup, offered as the way out while WhatsApp is down, and shown down when its own address fails.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SERVICE_IDS } from '../../src/core/services';
import { OPTIONS_PATH, POPUP_PATH } from './extension';
import { inOptions } from './options-page';
import { useChromium } from './session';

const launched = useChromium({
  beforeLaunch: (internet) => {
    internet.setHost('web.whatsapp.com', 'reset');
    internet.setHost('zoom.us', 'reset');
  },
  setUp: async ({ ext }) => {
    await ext.waitForBadge((b) => b.text === '!', 5_000);
    return {};
  },
});

/** Runs checks until the popup shows `id` with `status` (a failure is confirmed over checks). */
async function popupShows(id: string, status: string): Promise<Page> {
  const { ext } = launched();
  for (let i = 0; i < 4; i++) {
    await ext.runCheck();
    const page = await ext.openPage(POPUP_PATH);
    await page.waitForSelector('[data-service][data-status]');
    if ((await page.locator(`[data-service="${id}"][data-status]`).getAttribute('data-status')) === status)
      return page;
    await page.close();
  }
  throw new Error(`the popup never showed ${id} ${status}`);
}

describe('more apps, and your own (Chromium, fake internet)', () => {
  it('offers every catalog app to watch, and a failing Zoom shows down', async () => {
    const { ext } = launched();
    const options = await ext.openPage(OPTIONS_PATH);
    for (const id of SERVICE_IDS) await options.locator(`input[name="watch"][value="${id}"]`).waitFor();
    await options.close();
    await inOptions(ext, 'watched', (page) => page.locator('input[name="watch"][value="zoom"]').check());
    const popup = await popupShows('zoom', 'down');
    expect(await popup.locator('[data-service="zoom"][data-status]').textContent()).toContain('Zoom');
    await popup.close();
  });

  it('adds an app of your own after showing what is wrong, checks it, and offers it as the way out', async () => {
    const { ext, internet } = launched();
    const options = await ext.openPage(OPTIONS_PATH);
    await options.locator('input[name="customName"]').fill('Telegram');
    await options.locator('input[name="customUrl"]').fill('http://family.example/');
    await options.locator('[data-action="add-custom"]').click();
    await options.locator('[data-error-for="customName"]').waitFor();
    expect(await options.locator('[data-error-for]').allTextContents()).toEqual([
      'You already have an app with this name or address.',
      'The address must start with https://.',
    ]);
    await options.locator('input[name="customName"]').fill('Family Chat');
    await options.locator('input[name="customUrl"]').fill('https://family.example/');
    await options.locator('[data-action="add-custom"]').click();
    await options.waitForFunction(() =>
      [...document.querySelectorAll('[data-section="custom-apps"] [role="status"]')].some((e) =>
        e.textContent?.includes('Saved'),
      ),
    );
    expect(await options.locator('[data-error-for]').count()).toBe(0);
    await options.close();
    await inOptions(ext, 'fallbacks', (page) =>
      page.locator('input[name="fallback"][value="custom-family-chat"]').check(),
    );

    // WhatsApp (the main app) is down: the user's app is up, in its row and among the ways out.
    const popup = await popupShows('custom-family-chat', 'up');
    expect(await popup.locator('[data-service="custom-family-chat"][data-status]').textContent()).toContain(
      'Family Chat',
    );
    const way = popup.locator('[data-fallback="custom-family-chat"]');
    expect(await way.getAttribute('href')).toBe('https://family.example/');
    expect(await way.textContent()).toContain('Family Chat');
    // Zoom's row has a report button; the user's own app has none: it never reaches the feed.
    expect(await popup.locator('[data-action="report"][data-service="zoom"]').count()).toBe(1);
    expect(await popup.locator('[data-action="report"][data-service="custom-family-chat"]').count()).toBe(0);
    await popup.close();
    expect(internet.requests.some((r) => r.host === 'family.example' && r.method === 'HEAD')).toBe(true);

    internet.setHost('family.example', 'reset');
    (await popupShows('custom-family-chat', 'down')).close();
  });
});
