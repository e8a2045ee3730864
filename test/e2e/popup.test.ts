import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BADGE_STYLES } from '../../src/core/badge';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { seedJsonOf, withSeedJson } from '../seed-url';
import { type Badge, CHECK_TIMEOUT_MS, type LaunchedExtension, POPUP_PATH } from './extension';
import { updateSettings } from './options-page';
import { screenshotDir } from './screenshots';
import { useChromium } from './session';

const WHATSAPP = 'web.whatsapp.com';
const MESSENGER = 'www.messenger.com';
const INSTAGRAM = 'www.instagram.com';
const TELEGRAM = 'web.telegram.org';

const _ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const VIEWPORT = { width: 380, height: 600 };

/** The part of the `chrome` global the popup page is asked for here (the project has no @types/chrome). */
interface PageChrome {
  i18n: { getUILanguage(): string };
}

/** What the toolbar's popup URL carries (platform/view-store.ts), as far as these tests look. */
interface SeedJson {
  state: { services: Record<string, { status: string }> };
  words: { locale: string; messages: Record<string, string>; kit: { locale: string } | null };
}

interface RowRecord {
  __whatsappSeen: { status: string; word: string; meta: string }[];
}

/** Records each different picture of the WhatsApp row: status, word, and its time and latency. */
const recordWhatsAppRow = `(() => {
  const seen = (window.__whatsappSeen = []);
  new MutationObserver(() => {
    const row = document.querySelector('[data-service="whatsapp"]');
    if (!row) return;
    const now = {
      status: row.getAttribute('data-status'),
      word: row.querySelector('.status')?.textContent ?? '',
      meta: [...row.querySelectorAll('.row-meta > span:not([class])')].map((s) => s.textContent).join(' | '),
    };
    const last = seen[seen.length - 1];
    if (!last || last.status !== now.status || last.word !== now.word || last.meta !== now.meta) seen.push(now);
  }).observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
})();`;

/** A browser with the extension (sharp pictures: pixel ratio 2), and the popup open in a tab. */
function useSession(launchOpts: { env?: Record<string, string>; args?: string[] } = {}) {
  return useChromium({
    deviceScaleFactor: 2,
    ...launchOpts,
    setUp: async ({ ext }) => {
      const page = await ext.openPage(POPUP_PATH);
      await page.setViewportSize(VIEWPORT);
      await page.waitForSelector('[data-service][data-status]');
      return { page };
    },
  });
}

/** Fires one check and waits until it has been saved and the badge matches. */
async function checkOnce(ext: LaunchedExtension, predicate: (b: Badge) => boolean): Promise<Badge> {
  const started = Date.now();
  await ext.runCheck();
  return ext.waitForBadge(predicate, Math.max(1_000, CHECK_TIMEOUT_MS - (Date.now() - started)));
}

const badgeIs = (kind: 'primary-down' | 'offline') => (b: Badge) => b.text === BADGE_STYLES[kind].text;

const restoreSettings = (page: Page) =>
  updateSettings(page, { watched: DEFAULT_SETTINGS.watched, fallbacks: DEFAULT_SETTINGS.fallbacks });

interface FallbackLink {
  channel: string | null;
  tag: string;
  href: string | null;
}

const fallbackLinks = (page: Page): Promise<FallbackLink[]> =>
  page.locator('[data-fallback]').evaluateAll((els) =>
    els.map((e) => ({
      channel: e.getAttribute('data-fallback'),
      tag: e.tagName,
      href: e.getAttribute('href'),
    })),
  );

async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({ path: join(screenshotDir(), name), fullPage: true, animations: 'disabled' });
}

describe('popup (Chromium, fake internet)', () => {
  const session = useSession();

  it('updates live: the WhatsApp row turns down without a reload', async () => {
    const { internet, ext, page } = session();
    await page.waitForSelector('[data-service="whatsapp"][data-status="up"][data-primary]');
    // A mark on this document: a reload would lose it.
    await page.evaluate(() => {
      (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
    });
    internet.setHost(WHATSAPP, 'reset');
    await checkOnce(ext, badgeIs('primary-down'));
    await page.waitForSelector('[data-service="whatsapp"][data-status="down"]', { timeout: 5_000 });
    expect(
      await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
    ).toBe(true);
  });

  it('opens as the toolbar button opens it: painted from its seed, then from storage', async () => {
    const { ext } = session();
    const url = new URL(await ext.popupUrl());
    expect(url.pathname).toBe(`/${POPUP_PATH}`);
    const seed = seedJsonOf<SeedJson>(url) as SeedJson;
    const whatsapp = seed.state.services.whatsapp as { status: string };
    const stored = whatsapp.status;
    expect(['up', 'down']).toContain(stored);
    // A seed that disagrees with storage, in its status and in its words: they are the page's first
    // paint, and the storage read that follows puts the truth on screen, in the browser's words.
    whatsapp.status = stored === 'up' ? 'down' : 'up';
    seed.words.messages[whatsapp.status === 'up' ? 'statusUp' : 'statusDown'] = 'FORGED';
    const popup = await ext.context.newPage();
    try {
      await popup.addInitScript({ content: recordWhatsAppRow });
      await popup.goto(withSeedJson(url, seed));
      await popup.waitForSelector(`[data-service="whatsapp"][data-status="${stored}"]`);
      const seen = await popup.evaluate(() => (window as unknown as RowRecord).__whatsappSeen);
      expect(seen.map((r) => r.status)).toEqual([whatsapp.status, stored]);
      expect(seen[0]?.word).toContain('FORGED');
      expect(seen[1]?.word).not.toContain('FORGED');
    } finally {
      await popup.close();
    }
  });

  it("paints the seed's words and times exactly as the browser then writes them", async () => {
    const { ext } = session();
    const url = await ext.popupUrl();
    const seed = seedJsonOf<SeedJson>(url) as SeedJson;
    expect(seed.words.kit?.locale).toBe(seed.words.locale); // Chromium's Intl gives a kit
    const popup = await ext.context.newPage();
    try {
      await popup.addInitScript({ content: recordWhatsAppRow });
      await popup.goto(url);
      // The storage answer is painted a frame after the seed, with getMessage and Intl; the row's 24 h
      // strip comes after it.
      await popup.waitForSelector('[data-service="whatsapp"] :is(.history, .history-empty)');
      const seen = await popup.evaluate(() => (window as unknown as RowRecord).__whatsappSeen);
      expect(seen).toHaveLength(1); // the row never changed: the same status, word, time and latency
      expect(seen[0]?.meta).toMatch(/\d/);
    } finally {
      await popup.close();
    }
  });

  it('shows WhatsApp down and the fallbacks in order, each a link', async () => {
    const { page } = session();
    await page.reload();
    await page.waitForSelector('[data-service="whatsapp"][data-status="down"][data-primary]');
    const links = await fallbackLinks(page);
    expect(links.map((l) => l.channel)).toEqual(['telegram', 'signal', 'phone']);
    for (const link of links) {
      expect(link.tag, `${link.channel} is a link`).toBe('A');
      expect(link.href ?? '', `${link.channel} has an href`).not.toMatch(/^#?$/);
    }
    expect(links[0]?.href).toContain('web.telegram.org');
    expect(links[2]?.href).toMatch(/^tel:/);

    await page.emulateMedia({ colorScheme: 'light' });
    await screenshot(page, 'popup-light.png');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'popup-dark.png');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('never suggests Messenger or Instagram when all of Meta fails', async () => {
    const { internet, ext, page } = session();
    try {
      internet.setHosts([WHATSAPP, MESSENGER, INSTAGRAM], 'reset');
      await updateSettings(page, {
        watched: ['whatsapp', 'telegram', 'signal', 'messenger', 'instagram'],
        fallbacks: ['messenger', 'instagram', 'telegram', 'signal', 'phone'],
      });
      await checkOnce(ext, badgeIs('primary-down'));
      await page.reload();
      for (const id of ['whatsapp', 'messenger', 'instagram']) {
        await page.waitForSelector(`[data-service="${id}"][data-status="down"]`, {
          timeout: CHECK_TIMEOUT_MS,
        });
      }
      const channels = (await fallbackLinks(page)).map((l) => l.channel);
      expect(channels).not.toContain('messenger');
      expect(channels).not.toContain('instagram');
      expect(channels[0]).toBe('telegram');
      expect(await page.locator('[data-fallback="messenger"], [data-fallback="instagram"]').count()).toBe(0);
    } finally {
      internet.reset();
      await restoreSettings(page);
    }
  });

  it('marks the root data-checking while "Check now" runs, then clears it', async () => {
    const { internet, page } = session();
    const root = page.locator('[data-connectivity]');
    await page.waitForSelector('[data-connectivity]:not([data-checking])', { timeout: CHECK_TIMEOUT_MS });
    // Telegram hangs, so the check lasts at least one request timeout.
    internet.setHost(TELEGRAM, 'hang');
    try {
      await page.locator('[data-action="check-now"]').click();
      await page.waitForSelector('[data-connectivity][data-checking]', { timeout: 3_000 });
      expect(await root.getAttribute('data-checking')).not.toBeNull();
      expect(await page.locator('[data-action="check-now"]').isDisabled()).toBe(true);
    } finally {
      internet.reset();
    }
    await page.waitForSelector('[data-connectivity]:not([data-checking])', { timeout: CHECK_TIMEOUT_MS });
    expect(await root.getAttribute('data-checking')).toBeNull();
  });

  it('says "You are offline" and suggests nothing when the connection is down', async () => {
    const { internet, ext, page } = session();
    try {
      internet.setDefault('reset');
      await checkOnce(ext, badgeIs('offline'));
      await page.reload();
      await page.waitForSelector('[data-connectivity="offline"]');
      // The way out comes with the extras after the first paint: wait for them (the badge legend
      // they always bring) so that "no fallback" is not read before any could be there.
      await page.waitForSelector('details.badge-explainer[data-badge]');
      expect((await page.locator('h1').textContent())?.trim()).toBe('You are offline');
      expect(await page.locator('[data-fallback]').count()).toBe(0);
    } finally {
      internet.reset();
    }
  });
});

describe('popup in Arabic (right to left)', () => {
  // Chromium takes its UI language from LANGUAGE/LANG (and --lang), but only for a locale whose
  // .pak it has: Debian ships those in chromium-l10n.
  const session = useSession({ env: { LANGUAGE: 'ar', LANG: 'ar' }, args: ['--lang=ar'] });

  it('lays the popup out right to left', async () => {
    const { internet, ext, page } = session();
    const uiLanguage = await page.evaluate(() => {
      const { chrome } = globalThis as unknown as { chrome: PageChrome };
      return chrome.i18n.getUILanguage();
    });
    expect(uiLanguage, "Chromium's UI is not Arabic: install Debian's chromium-l10n").toMatch(/^ar\b/);
    internet.setHost(WHATSAPP, 'reset');
    await checkOnce(ext, badgeIs('primary-down'));
    await page.reload();
    await page.waitForSelector('[data-service="whatsapp"][data-status="down"][data-primary]');
    await page.waitForSelector('[data-fallback]');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await page.evaluate(() => document.documentElement.lang)).toMatch(/^ar\b/);
    await screenshot(page, 'popup-ar.png');
  });

  it('paints its seeded first frame right to left, in the words and digits Chromium then writes', async () => {
    const { ext } = session();
    const url = await ext.popupUrl();
    const seed = seedJsonOf<SeedJson>(url) as SeedJson;
    expect(seed.words.locale).toMatch(/^ar\b/);
    expect(seed.words.kit?.locale).toBe(seed.words.locale);
    const popup = await ext.context.newPage();
    try {
      await popup.addInitScript({ content: recordWhatsAppRow });
      await popup.goto(url);
      await popup.waitForSelector('[data-service="whatsapp"] :is(.history, .history-empty)');
      expect(await popup.evaluate(() => document.documentElement.dir)).toBe('rtl');
      const seen = await popup.evaluate(() => (window as unknown as RowRecord).__whatsappSeen);
      expect(seen).toHaveLength(1);
    } finally {
      await popup.close();
    }
  });
});
