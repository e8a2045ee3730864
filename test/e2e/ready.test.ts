// Ready before the outage, and a way out that fits it, end to end: the built extension in headless
// Chromium, a fake internet where WhatsApp fails. The user enters two contacts on the options page
// like a person would (Maria with only a WhatsApp number; the family with its Signal group's invite
// link), and the settings and welcome pages show Maria as reachable only on WhatsApp. The popup then
// offers the family group, and, once a static feed says most reports are about calls, says so and
// puts the phone first.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { feedWithProbes } from '../feed-docs';
import { OPTIONS_PATH, POPUP_PATH, storedValue, WELCOME_PATH, waitUntil } from './extension';
import { setFeedUrl } from './options-page';
import { screenshotDir } from './screenshots';
import { useChromium } from './session';

const SIGNAL_GROUP =
  'https://signal.group/#CjQKIAtcbUw482i7bqvmJCwdgvg0FMif52N6JyDbdThy55EtEhA43G4JqQEJY9Mx4O8QMakv';
const FEED_HOST = 'feed.example';
const FEED_PATH = '/detour-feed.json';

const launched = useChromium({
  // Sharp pictures for the README (docs/screenshots/readiness.png, popup-way-out.png).
  deviceScaleFactor: 2,
  beforeLaunch: (internet) => internet.setHost('web.whatsapp.com', 'reset'),
  // The install check confirms WhatsApp down: the red badge.
  setUp: async ({ ext }) => {
    await ext.waitForBadge((b) => b.text === '!', 5_000);
    return {};
  },
});

const attrs = (page: Page, name: string): Promise<(string | null)[]> =>
  page.locator(`[${name}]`).evaluateAll((els, n) => els.map((e) => e.getAttribute(n)), name);

/** Adds a contact on the options page: its name, then one field, each left so it is saved. */
async function addContact(page: Page, name: string, field: string, value: string): Promise<void> {
  await page.getByRole('button', { name: 'Add contact' }).click();
  const contact = page.locator('[data-section="contacts"] li.contact').last();
  await contact.getByLabel('Name', { exact: true }).fill(name);
  await contact.getByLabel('Name', { exact: true }).blur();
  await contact.getByLabel(field, { exact: true }).fill(value);
  await contact.getByLabel(field, { exact: true }).blur();
}

describe('ready before the outage (Chromium, fake internet)', () => {
  it('shows the contact reachable only on WhatsApp and the fallbacks to get ready, on the settings and welcome pages', async () => {
    const { ext } = launched();
    const options = await ext.openPage(OPTIONS_PATH);
    await options.waitForSelector('[data-section="readiness"]');
    await addContact(options, 'Maria', 'WhatsApp number', '+39 333 123 4567');
    await addContact(
      options,
      'Family',
      'Backup group invite link (Signal or Telegram)',
      'https://t.me/family',
    );
    // A public Telegram name is not an invite: refused in words, and not saved.
    await options.getByText('This is not a Signal or Telegram group invite').waitFor();
    const group = options
      .locator('[data-section="contacts"] li.contact')
      .last()
      .getByLabel(/Backup group/);
    await group.fill(SIGNAL_GROUP);
    await group.blur();
    await waitUntil(
      'both contacts saved, the family with its group',
      async () => {
        const stored = await storedValue<{ name: string; group?: string }[]>(ext, 'contacts');
        return stored?.length === 2 && stored[1]?.group === SIGNAL_GROUP;
      },
      10_000,
    );

    await options.waitForSelector('[data-section="readiness"] [data-stranded-contact]');
    expect(await attrs(options, 'data-stranded-contact')).toHaveLength(1);
    expect(await options.locator('[data-stranded-contact]').textContent()).toBe('Maria');
    expect(await options.locator('[data-readiness]').getAttribute('data-readiness')).toBe('missing');
    expect(await attrs(options, 'data-missing-handle')).toEqual(['telegram', 'signal', 'phone']);
    expect(await attrs(options, 'data-get-app')).toEqual(['telegram', 'signal']);
    expect(await options.locator('[data-get-app="signal"]').getAttribute('href')).toBe(
      'https://signal.org/download/',
    );
    await options.locator('[data-section="readiness"]').screenshot({
      path: join(screenshotDir(), 'readiness.png'),
      animations: 'disabled',
    });
    await options.close();

    const welcome = await ext.openPage(WELCOME_PATH);
    await welcome.waitForSelector('[data-page="welcome"] [data-section="readiness"] [data-stranded-contact]');
    expect(await welcome.locator('[data-stranded-contact]').textContent()).toBe('Maria');
    expect(await attrs(welcome, 'data-get-app')).toEqual(['telegram', 'signal']);
    await welcome.close();
  });

  it('offers "Open the Family group on Signal" in the popup while WhatsApp is down', async () => {
    const popup = await launched().ext.openPage(POPUP_PATH);
    await popup.waitForSelector('[data-service="whatsapp"][data-status="down"][data-primary]');
    const link = popup.locator('[data-group][data-group-app="signal"]');
    await link.waitFor();
    expect((await link.textContent())?.trim()).toBe('Open the Family group on Signal');
    expect(await link.getAttribute('href')).toBe(SIGNAL_GROUP);
    expect(await link.evaluate((e) => e.tagName)).toBe('A');
    await popup.close();
  });

  it('says most reports are about calls and puts the phone first, from a feed whose reports are mostly calls', async () => {
    const { internet, ext } = launched();
    internet.route(FEED_HOST, FEED_PATH, () => {
      const feed = feedWithProbes(null, Date.now());
      const whatsapp = feed.services.whatsapp;
      if (whatsapp)
        Object.assign(whatsapp, {
          level: 'outage',
          recent: 80,
          problems: { calls: 64, messages: 9, login: 7 },
        });
      return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(feed) };
    });
    const popup = await ext.openPage(POPUP_PATH);
    await popup.waitForSelector('[data-fallback]');
    expect(await attrs(popup, 'data-fallback')).toEqual(['telegram', 'signal', 'phone']);
    expect(await popup.locator('[data-problem-focus]').count()).toBe(0);

    // Saving the feed URL runs a check, which reads the feed; the popup follows storage.
    await setFeedUrl(ext, `https://${FEED_HOST}${FEED_PATH}`);
    await popup.waitForSelector('[data-problem-focus="calls"]', { timeout: 30_000 });
    expect((await popup.locator('[data-problem-focus]').textContent())?.trim()).toBe(
      'Most reports are about calls; messages may still get through.',
    );
    expect(await attrs(popup, 'data-fallback')).toEqual(['phone', 'telegram', 'signal']);
    expect(await popup.locator('[data-fallback="phone"]').getAttribute('href')).toMatch(/^tel:/);
    await popup.setViewportSize({ width: 380, height: 600 });
    await popup.locator('[data-group]').waitFor();
    await popup.screenshot({
      path: join(screenshotDir(), 'popup-way-out.png'),
      fullPage: true,
      animations: 'disabled',
    });
    await popup.close();
  });
});
