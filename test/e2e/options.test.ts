// Options changes take effect in the popup: the built extension in headless Chromium, a fake
// internet where WhatsApp fails, and the options page driven like a person would.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useChromium } from './session';

const launched = useChromium({
  beforeLaunch: (internet) => internet.setHost('web.whatsapp.com', 'reset'),
  // The install check confirms WhatsApp down: the red badge.
  setUp: async ({ ext }) => {
    await ext.waitForBadge((b) => b.text === '!', 5_000);
    return {};
  },
});

const openPage = (path: string): Promise<Page> => launched().ext.openPage(path);

async function popupState(): Promise<{ fallbacks: string[]; rows: string[]; primary: string | null }> {
  const page = await openPage('src/popup/index.html');
  await page.waitForSelector('[data-service][data-status]');
  // The way out comes with the extras, right after the first paint; the badge legend, which they
  // always bring, says they are there.
  await page.waitForSelector('details.badge-explainer[data-badge]');
  const result = await page.evaluate(() => ({
    fallbacks: [...document.querySelectorAll('[data-fallback]')].map(
      (e) => e.getAttribute('data-fallback') ?? '',
    ),
    rows: [...document.querySelectorAll('[data-service][data-status]')].map(
      (e) => e.getAttribute('data-service') ?? '',
    ),
    primary: document.querySelector('[data-primary]')?.getAttribute('data-service') ?? null,
  }));
  await page.close();
  return result;
}

/** Waits for the options page to show its "Saved" state after a change. */
async function saved(page: Page) {
  await page.waitForFunction(() =>
    [...document.querySelectorAll('[role="status"]')].some((e) => e.textContent?.includes('Saved')),
  );
}

describe('options → popup (Chromium, fake internet)', () => {
  it('reorders fallbacks with the keyboard buttons, and the popup follows the new order', async () => {
    expect((await popupState()).fallbacks).toEqual(['telegram', 'signal', 'phone']);
    const options = await openPage('src/options/index.html');
    await options.getByRole('button', { name: 'Move Signal up' }).click();
    await saved(options);
    await options.close();
    expect((await popupState()).fallbacks).toEqual(['signal', 'telegram', 'phone']);
  });

  it('stops watching a service: its row leaves the popup', async () => {
    const options = await openPage('src/options/index.html');
    await options.locator('input[name="watch"][value="signal"]').uncheck();
    await saved(options);
    await options.close();
    expect((await popupState()).rows).toEqual(['whatsapp', 'telegram']);
  });

  it('changes the primary app: the popup marks it, and the badge title names it first', async () => {
    const options = await openPage('src/options/index.html');
    await options.locator('select[name="primary"]').selectOption('telegram');
    await saved(options);
    await options.close();
    const state = await popupState();
    expect(state.primary).toBe('telegram');
    // Telegram is up, so no suggestions; WhatsApp (down) is now "another service": amber.
    expect(state.fallbacks).toEqual([]);
    const badge = await launched().ext.waitForBadge((b) => b.text === '•', 20_000);
    expect(badge.title).toMatch(/^Telegram: up/);
  });
});
