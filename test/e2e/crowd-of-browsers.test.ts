// "Just me, my country, or everyone?" end to end, against the REAL feed server: the built extension in
// headless Chromium, sharing what it sees, with the fake internet making WhatsApp (the main app) fail
// for it; 40 other networks in five countries (two browsers each, other-browsers.ts) post what they
// see through the server's own route; the server counts networks and says the scope; the popup and
// the badge show it. The browser's languages put it in Italy (English words, so the text can be read):
// its own observation is one Italian network among the others, and the feeds the tests expect count it.
//
// One browser and one server for the whole file: the tests run in order, each setting what every
// network sees. The first two need the crowd still small (the server counts a network for 15 minutes),
// so they come first.
import { isDeepStrictEqual } from 'node:util';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BADGE_STYLES } from '../../src/core/badge';
import type { CrowdCache } from '../../src/core/crowd';
import { DEFAULT_THRESHOLDS } from '../../src/core/thresholds';
import type { ServiceProbes } from '../../src/shared/feed';
import { type LaunchedExtension, POPUP_PATH, storedValue, waitUntil } from './extension';
import { type RecordedFeed, startRecordedFeed } from './feed-fixture';
import { setFeedUrl, turnOnSharing } from './options-page';
import { type OtherNetwork, otherNetworks, seeFrom, serverProbes } from './other-browsers';
import { useChromium } from './session';

const WHATSAPP = 'web.whatsapp.com';
/** The other networks, the most in Italy; `NETWORKS[0]` is Italian. */
const NETWORKS = otherNetworks([
  ['IT', 14],
  ['FR', 10],
  ['GB', 8],
  ['DE', 5],
  ['ES', 3],
]);
const inItaly = (n: OtherNetwork) => n.country === 'IT';
/** Outside Italy, the first network of each country still reaches WhatsApp when the others don't. */
const firstOfItsCountry = (n: OtherNetwork, i: number) => NETWORKS[i - 1]?.country !== n.country;

/** Accepted observations of this browser (the recording proxy saw the server's 202). */
const accepted = (feed: RecordedFeed) =>
  feed.observationRequests().filter((r) => r.method === 'POST' && r.status === 202);

const launched = useChromium({
  // English words, and a region for the country the extension sends with its observations.
  args: ['--accept-lang=en-IT,en'],
  setUp: async ({ ext }, onClose) => {
    // Browsers post a change at once (`--observe-spread 0`); the feed is rebuilt on every read.
    const feed = await startRecordedFeed({ observeSpreadSeconds: 0 });
    onClose(() => feed.close());
    await setFeedUrl(ext, feed.feedUrl);
    await waitUntil(
      'a check that read the feed and its hints',
      async () => (await storedValue<CrowdCache>(ext, 'crowd'))?.feed?.observe?.spreadSeconds === 0,
      30_000,
    );
    // Turned on, the browser shares its picture (every app up) once.
    await turnOnSharing(ext);
    await waitUntil('the first observation', async () => accepted(feed).length === 1, 30_000);
    const popup = await ext.openPage(POPUP_PATH);
    return { feed, popup };
  },
});

/** Waits until the server's feed says `expected` of WhatsApp (the browser's own post may be on its way). */
async function serverSays(feed: RecordedFeed, expected: ServiceProbes): Promise<void> {
  let last: ServiceProbes | undefined;
  await waitUntil(
    `the server's probes to be ${JSON.stringify(expected)}`,
    async () => {
      last = await serverProbes(feed.server.url, 'whatsapp');
      return isDeepStrictEqual(last, expected);
    },
    15_000,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}; last seen ${JSON.stringify(last)}`);
  });
}

/**
 * Runs a check that read the feed as the server says it now. A check the extension started by itself
 * (its 30 s re-check of a failing app) may be under way and be the one joined: then one more.
 */
async function checkReading(ext: LaunchedExtension, feed: RecordedFeed): Promise<void> {
  const now = await serverProbes(feed.server.url, 'whatsapp');
  for (let tries = 1; ; tries++) {
    await ext.runCheck();
    const read = (await storedValue<CrowdCache>(ext, 'crowd'))?.feed?.services.whatsapp?.probes;
    if (isDeepStrictEqual(read, now)) return;
    if (tries === 3) expect(read).toEqual(now);
  }
}

/** Waits for the badge of that kind, text and colour (the painter sets one after the other). */
const badgeIs = (ext: LaunchedExtension, kind: 'primary-down' | 'degraded') =>
  ext.waitForBadge((b) => b.text === BADGE_STYLES[kind].text && b.color === BADGE_STYLES[kind].color, 5_000);

const row = (popup: Page) => popup.locator('[data-service="whatsapp"][data-status]');

/** Waits for the row to carry these hooks, and returns the row's attributes. */
async function rowShows(popup: Page, hooks: string) {
  await popup.waitForSelector(`[data-service="whatsapp"][data-primary]${hooks}`, { timeout: 10_000 });
  return row(popup).evaluate((e) => ({
    status: e.getAttribute('data-status'),
    scope: e.getAttribute('data-scope'),
    country: e.getAttribute('data-scope-country'),
  }));
}

const scopeLine = (popup: Page, kind: string) =>
  popup.locator(`header [data-scope-line="${kind}"]`).textContent({ timeout: 10_000 });

type Notices = Record<string, { title: string; message: string }>;

describe('where WhatsApp fails, as the crowd of browsers says (Chromium, the real feed server)', () => {
  it('unknown: one other network reaches WhatsApp, and this one does: too few networks to tell', async () => {
    const { feed, ext, popup } = launched();
    await seeFrom(feed.server.url, NETWORKS.slice(0, 1), 'whatsapp', () => 'up');
    // With this browser's own, two networks: too few for the server to say anything.
    await serverSays(feed, { down: 0, up: 2, countries: { IT: [0, 2] } });
    await checkReading(ext, feed);
    expect(await rowShows(popup, '[data-status="up"][data-scope="unknown"]')).toEqual({
      status: 'up',
      scope: 'unknown',
      country: null,
    });
    expect((await ext.badge()).text).toBe('');
  });

  it('unknown: this one fails while 2 other networks reach WhatsApp; its own earlier "up" is not a third', async () => {
    const { feed, ext, internet, popup } = launched();
    await seeFrom(feed.server.url, NETWORKS.slice(0, 2), 'whatsapp', () => 'up');
    // Three networks up, this browser's among them (its word from before the failure).
    await serverSays(feed, { down: 0, up: 3, countries: { IT: [0, 3] }, scope: 'none' });
    const before = accepted(feed).length;
    internet.setHost(WHATSAPP, 'reset');
    await checkReading(ext, feed);
    // Two other networks are too few to blame this one (scopeMinUp 3): the app is down here.
    expect(await rowShows(popup, '[data-status="down"]')).toEqual({
      status: 'down',
      scope: 'unknown',
      country: null,
    });
    await badgeIs(ext, 'primary-down');

    // Its change goes out once, and the server counts its network down: 1 of 3, no scope.
    await waitUntil(
      'the observation of the failure',
      async () => accepted(feed).length === before + 1,
      15_000,
    );
    expect(JSON.parse(accepted(feed)[before]?.body ?? '{}')).toMatchObject({
      country: 'IT',
      services: { whatsapp: 'down', telegram: 'up', signal: 'up' },
    });
    await serverSays(feed, { down: 1, up: 2, countries: { IT: [1, 2] } });
    await checkReading(ext, feed);
    expect(await rowShows(popup, '[data-status="down"]')).toMatchObject({ scope: 'unknown' });
  });

  it('unknown: the server says 41 networks reach WhatsApp, and so does this one again', async () => {
    const { feed, ext, internet, popup } = launched();
    await seeFrom(feed.server.url, NETWORKS, 'whatsapp', () => 'up');
    internet.setHost(WHATSAPP, 'ok');
    await ext.runCheck();
    await serverSays(feed, {
      down: 0,
      up: 41,
      countries: { IT: [0, 15], FR: [0, 10], GB: [0, 8], DE: [0, 5], ES: [0, 3] },
      scope: 'none',
    });
    await checkReading(ext, feed);
    expect(await rowShows(popup, '[data-status="up"][data-scope="unknown"]')).toMatchObject({
      country: null,
    });
    await ext.waitForBadge((b) => b.text === '', 5_000);
  });

  it('only you: 40 networks reach WhatsApp and this one can’t: amber "?", degraded, never "is down"', async () => {
    const { feed, ext, internet, popup } = launched();
    const notices = async () => Object.keys((await storedValue<Notices>(ext, 'noticeTargets')) ?? {});
    const noticesBefore = await notices();
    const before = accepted(feed).length;
    internet.setHost(WHATSAPP, 'reset');
    await checkReading(ext, feed);
    // Read before its own change landed: 41 networks up, this one's earlier word among them, 40 others.
    await rowShows(popup, '[data-status="degraded"][data-scope="network"]');
    const othersReach = /^Other browsers reach WhatsApp right now \(40 networks\)/;
    expect(await scopeLine(popup, 'network')).toMatch(othersReach);
    // Its change goes out once, and the server counts its network down: 1 of 41.
    await waitUntil(
      'the observation of the failure',
      async () => accepted(feed).length === before + 1,
      15_000,
    );
    await serverSays(feed, {
      down: 1,
      up: 40,
      countries: { IT: [1, 14], FR: [0, 10], GB: [0, 8], DE: [0, 5], ES: [0, 3] },
      scope: 'none',
    });

    await checkReading(ext, feed);
    expect(await rowShows(popup, '[data-status="degraded"][data-scope="network"]')).toEqual({
      status: 'degraded',
      scope: 'network',
      country: null,
    });
    const badge = await badgeIs(ext, 'degraded');
    expect(badge).toMatchObject({ text: '?', color: BADGE_STYLES.degraded.color });
    expect(badge.color).not.toBe(BADGE_STYLES['primary-down'].color);
    expect(await scopeLine(popup, 'network')).toMatch(othersReach);

    // Confirmed by the checks that follow (more of them, as it went down and up a minute ago: the
    // flapping rule): its own notice, and at no check "WhatsApp is down".
    const fresh = async () => (await notices()).filter((id) => !noticesBefore.includes(id));
    for (let checks = 0; ; checks++) {
      expect(await row(popup).getAttribute('data-status')).toBe('degraded');
      expect((await ext.badge()).text).toBe('?');
      expect((await fresh()).filter((id) => id.startsWith('detour:down-whatsapp-'))).toEqual([]);
      if ((await fresh()).some((id) => id.startsWith('detour:local-whatsapp-'))) break;
      expect(checks).toBeLessThanOrEqual(DEFAULT_THRESHOLDS.flapSettleChecks);
      await checkReading(ext, feed);
    }
  });

  it('everyone: 37 of 41 networks in five countries can’t reach WhatsApp, nor can this one: red "!"', async () => {
    const { feed, ext, popup } = launched();
    await seeFrom(feed.server.url, NETWORKS, 'whatsapp', (n, i) =>
      !inItaly(n) && firstOfItsCountry(n, i) ? 'up' : 'down',
    );
    // This browser's network still says down (no change, nothing new sent): 36 + 1 of 41.
    await serverSays(feed, {
      down: 37,
      up: 4,
      countries: { IT: [15, 0], FR: [9, 1], GB: [7, 1], DE: [4, 1], ES: [2, 1] },
      scope: 'everyone',
    });
    await checkReading(ext, feed);
    expect(await rowShows(popup, '[data-status="down"][data-scope="everyone"]')).toEqual({
      status: 'down',
      scope: 'everyone',
      country: null,
    });
    const badge = await badgeIs(ext, 'primary-down');
    expect(badge).toMatchObject({ text: '!', color: BADGE_STYLES['primary-down'].color });
    // The headline's words name the networks and the countries where most fail.
    const line = await scopeLine(popup, 'everyone');
    expect(line).toMatch(/\b37 of 41 networks\b.*WhatsApp/);
    expect(line).toMatch(/Italy.*France.*United Kingdom/);
  });

  it('country: the networks in Italy can’t reach WhatsApp, those elsewhere can: "Down in Italy"', async () => {
    const { feed, ext, popup } = launched();
    await seeFrom(feed.server.url, NETWORKS, 'whatsapp', (n) => (inItaly(n) ? 'down' : 'up'));
    await serverSays(feed, {
      down: 15,
      up: 26,
      countries: { IT: [15, 0], FR: [0, 10], GB: [0, 8], DE: [0, 5], ES: [0, 3] },
      scope: 'country',
      scopeCountry: 'IT',
    });
    await checkReading(ext, feed);
    expect(await rowShows(popup, '[data-scope="country"][data-scope-country="IT"]')).toEqual({
      status: 'down',
      scope: 'country',
      country: 'IT',
    });
    expect(await scopeLine(popup, 'country')).toMatch(/^Down in Italy: 15 of 15 networks there\b/);
    await badgeIs(ext, 'primary-down');
  });
});
