// "Just me, or everyone?" end to end: the built extension in headless Chromium, probing a fake internet
// that makes WhatsApp fail for this browser, and reading a static feed (served by the same fake
// internet) whose `probes` say what the other browsers see. Many networks reaching WhatsApp make the
// failure this network's own (amber "?", "not from here", one notice of its own); the feed's
// "everyone" makes it an outage (red "!").
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BADGE_STYLES } from '../../src/core/badge';
import type { ServiceProbes } from '../../src/shared/feed';
import { feedWithProbes } from '../feed-docs';
import { POPUP_PATH, storedValue, waitUntil } from './extension';
import { setFeedUrl } from './options-page';
import { useChromium } from './session';

const WHATSAPP = 'web.whatsapp.com';
const FEED_HOST = 'feed.example';
const FEED_PATH = '/detour-feed.json';

const launched = useChromium({
  setUp: async ({ internet, ext }) => {
    let probes: ServiceProbes | null = null;
    internet.route(FEED_HOST, FEED_PATH, () => ({
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(feedWithProbes(probes, Date.now())),
    }));
    // A static feed, set the way a user does it: the options page's field, saved on change.
    await setFeedUrl(ext, `https://${FEED_HOST}${FEED_PATH}`);
    await waitUntil(
      'a check that read the static feed',
      async () => !!(await storedValue<{ feed?: unknown }>(ext, 'crowd'))?.feed,
      30_000,
    );
    const popup = await ext.openPage(POPUP_PATH);
    // A feed without probes for WhatsApp: the row says the crowd of browsers cannot tell.
    await popup.waitForSelector('[data-service="whatsapp"][data-status="up"][data-scope="unknown"]');
    return { popup, setProbes: (next: ServiceProbes | null) => (probes = next) };
  },
});

const row = (popup: Page) => popup.locator('[data-service="whatsapp"][data-status]');

describe('where WhatsApp fails (Chromium, fake internet, static feed with probes)', () => {
  it('fails only here while 120 networks reach it: "not from here", amber "?", never red', async () => {
    const { internet, ext, popup, setProbes } = launched();
    setProbes({ down: 1, up: 120, countries: { IT: [1, 60], FR: [0, 60] } });
    internet.setHost(WHATSAPP, 'reset');
    await ext.runCheck();
    // The painter sets the text, the colour, then the title: wait for the title too.
    const title = /^WhatsApp: not reachable from this network for .+; other networks reach it/;
    const badge = await ext.waitForBadge(
      (b) => b.text === BADGE_STYLES.degraded.text && title.test(b.title),
      5_000,
    );
    expect(badge).toMatchObject({ text: '?', color: BADGE_STYLES.degraded.color });

    await popup.waitForSelector('[data-service="whatsapp"][data-scope="network"]');
    expect(await row(popup).getAttribute('data-status')).toBe('degraded');
    expect(await row(popup).getAttribute('data-scope-country')).toBeNull();
    expect((await row(popup).locator('.status').textContent())?.trim()).toBe('! not from here');
    expect(await popup.locator('h1').textContent()).toMatch(
      /^Can’t reach WhatsApp from your network · since /,
    );
    expect(await popup.locator('header [data-scope-line="network"]').textContent()).toBe(
      'Other browsers reach WhatsApp right now (120 networks): the problem is probably your network, firewall or VPN',
    );

    // A second check confirms it: one notice of its own, never "WhatsApp is down".
    await ext.runCheck();
    expect((await ext.badge()).text).toBe('?');
    const shown = () => storedValue<Record<string, { title: string; message: string }>>(ext, 'noticeTargets');
    await waitUntil(
      'the "not from your network" notice',
      async () => Object.keys((await shown()) ?? {}).some((id) => id.startsWith('detour:local-whatsapp-')),
      5_000,
    );
    const notices = (await shown()) ?? {};
    const ids = Object.keys(notices);
    expect(ids.filter((id) => id.startsWith('detour:local-whatsapp-'))).toHaveLength(1);
    expect(ids.filter((id) => id.startsWith('detour:down-whatsapp-'))).toEqual([]);
    const local = Object.entries(notices).find(([id]) => id.startsWith('detour:local-whatsapp-'))?.[1];
    expect(local).toEqual({
      url: null,
      title: 'Can’t reach WhatsApp from your network',
      message: 'Other browsers can (120 networks). Check your Wi-Fi, firewall or VPN.',
      // Its button (Chrome) mutes WhatsApp for an hour: it is not down, so not "until it is back".
      services: ['whatsapp'],
      muteFor: '1h',
    });
  });

  it('fails here and the feed says everyone: red "!", "down for others too"', async () => {
    const { internet, ext, popup, setProbes } = launched();
    setProbes({
      down: 37,
      up: 4,
      countries: { IT: [20, 1], FR: [9, 1], GB: [5, 1], DE: [3, 1] },
      scope: 'everyone',
    });
    internet.setHost(WHATSAPP, 'reset');
    await ext.runCheck();
    const badge = await ext.waitForBadge(
      (b) => b.text === BADGE_STYLES['primary-down'].text && /^WhatsApp: down for /.test(b.title),
      5_000,
    );
    expect(badge).toMatchObject({ text: '!', color: BADGE_STYLES['primary-down'].color });

    await popup.waitForSelector('[data-service="whatsapp"][data-scope="everyone"]');
    expect(await row(popup).getAttribute('data-status')).toBe('down');
    expect(await popup.locator('h1').textContent()).toMatch(/^WhatsApp is down · since /);
    expect(await popup.locator('header [data-scope-line="everyone"]').textContent()).toBe(
      'Down for others too: 37 of 41 networks that check WhatsApp can’t reach it (Italy, France, United Kingdom…)',
    );
  });
});
