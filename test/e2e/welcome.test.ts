import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BADGE_STYLES } from '../../src/core/badge';
import { findPage, type LaunchedExtension, WELCOME_PATH } from './extension';
import { screenshotDir } from './screenshots';
import { useChromium } from './session';

const POPUP = 'src/popup/index.html';

/** The part of the `chrome` global the worker is asked for here (the project has no @types/chrome). */
interface WorkerChrome {
  storage: { local: { get(key: string): Promise<Record<string, unknown>> } };
  commands: { getAll(): Promise<{ name?: string; shortcut?: string }[]> };
}

/** A browser with a fresh profile and the extension; the welcome tab it opened is left open. */
function useFirstRun(launchOpts: { env?: Record<string, string>; args?: string[] } = {}) {
  return useChromium({
    keepWelcome: true,
    ...launchOpts,
    setUp: async ({ ext }) => {
      const welcome: Page = await findPage(ext.context, WELCOME_PATH, 15_000);
      await welcome.waitForSelector('[data-page="welcome"] select[name="primary"]');
      return { welcome };
    },
  });
}

async function storedPrimary(ext: LaunchedExtension): Promise<unknown> {
  return ext.worker.evaluate(async () => {
    const { chrome } = globalThis as unknown as { chrome: WorkerChrome };
    const { settings } = await chrome.storage.local.get('settings');
    return (settings as { primary?: unknown } | undefined)?.primary;
  });
}

async function openPopup(ext: LaunchedExtension): Promise<Page> {
  const page = await ext.context.newPage();
  await page.goto(`chrome-extension://${ext.extensionId}/${POPUP}`);
  await page.waitForSelector('[data-service][data-status] >> nth=0');
  return page;
}

describe('first run (Chromium, fresh profile)', () => {
  const session = useFirstRun();

  it('opens the welcome page in one tab of its own at install', async () => {
    const { ext, welcome } = session();
    const tabs = ext.context.pages().filter((p) => p.url().endsWith(WELCOME_PATH));
    expect(tabs).toHaveLength(1);
    expect(await welcome.title()).toBe('Welcome to Detour');
    expect(await welcome.locator('h1').textContent()).toBe('Welcome to Detour');
    expect(await welcome.locator('[data-privacy="sent"]').textContent()).toContain('without cookies');
    // For the README: the first thing a new user sees.
    await welcome.setViewportSize({ width: 900, height: 700 });
    await welcome.evaluate(() => document.fonts.ready.then(() => undefined));
    await welcome.screenshot({
      path: join(screenshotDir(), 'welcome.png'),
      fullPage: true,
      animations: 'disabled',
    });
  });

  it('shows every badge state in the colours the toolbar uses', async () => {
    const { welcome } = session();
    const swatches = await welcome.$$eval('#badges [data-badge-swatch]', (nodes) =>
      nodes.map((n) => ({
        kind: n.getAttribute('data-badge-swatch') ?? '',
        text: n.textContent ?? '',
        color: (n as HTMLElement).style.backgroundColor,
      })),
    );
    expect(swatches.map((s) => s.kind)).toEqual([
      'quiet',
      'primary-down',
      'other-down',
      'degraded',
      'offline',
      'stale',
    ]);
    for (const s of swatches) {
      const style = BADGE_STYLES[s.kind as keyof typeof BADGE_STYLES];
      expect(s.text).toBe(style.text);
      if (style.color) expect(s.color).toBe(rgbOf(style.color));
    }
  });

  it('picking a main app there changes the setting, and the badge title follows', async () => {
    const { ext, welcome } = session();
    // Nothing is stored until the user changes something: the defaults name WhatsApp.
    expect(await welcome.locator('select[name="primary"]').inputValue()).toBe('whatsapp');
    expect(await storedPrimary(ext)).not.toBe('telegram');
    await welcome.locator('select[name="primary"]').selectOption('telegram');
    await welcome.locator('[data-section="primary"] [role="status"]', { hasText: 'Saved' }).waitFor();
    expect(await storedPrimary(ext)).toBe('telegram');
    const badge = await ext.waitForBadge((b) => b.title.startsWith('Telegram'), 20_000);
    expect(badge.text).toBe('');
  });

  it('the popup explains the badge the toolbar shows, and opens the full legend', async () => {
    const { internet, ext } = session();
    internet.setHost('web.telegram.org', 'reset');
    await ext.triggerCheck();
    const badge = await ext.waitForBadge((b) => b.text === BADGE_STYLES['primary-down'].text, 30_000);
    expect(badge.color).toBe(BADGE_STYLES['primary-down'].color);
    const popup = await openPopup(ext);
    const explainer = popup.locator('details.badge-explainer[data-badge="primary-down"]');
    await explainer.locator('summary').click();
    expect(await explainer.locator('.badge-words').textContent()).toBe(
      'Now: red badge “!” Your main app is down, confirmed by repeated checks.',
    );
    const [legend] = await Promise.all([
      ext.context.waitForEvent('page'),
      explainer.locator('[data-action="badge-legend"]').click(),
    ]);
    await legend.waitForURL((url) => url.pathname === `/${WELCOME_PATH}` && url.hash === '#badges');
    await legend.locator('#badges [data-badge="primary-down"]').waitFor();
    await legend.close();
    await popup.close();
    internet.reset();
  });

  it('opens the popup with Alt+Shift+D, and the popup says so', async () => {
    const { ext } = session();
    const commands = await ext.worker.evaluate(async () => {
      const { chrome } = globalThis as unknown as { chrome: WorkerChrome };
      return chrome.commands.getAll();
    });
    expect(commands.find((c) => c.name === '_execute_action')?.shortcut).toBe('Alt+Shift+D');
    const popup = await openPopup(ext);
    expect(await popup.locator('.footer [data-shortcut]').textContent()).toBe('Shortcut: Alt+Shift+D');
    await popup.close();
  });
});

describe('first run in Arabic (right to left)', () => {
  const session = useFirstRun({ env: { LANGUAGE: 'ar', LANG: 'ar' }, args: ['--lang=ar'] });

  it('lays the welcome page out right to left, in Arabic', async () => {
    const { welcome } = session();
    expect(await welcome.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await welcome.evaluate(() => document.documentElement.lang)).toMatch(/^ar\b/);
    expect(await welcome.locator('h1').textContent()).toBe('مرحبًا بك في Detour');
  });
});

/** '#C5221F' → 'rgb(197, 34, 31)', as the page reports an inline colour. */
function rgbOf(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}
