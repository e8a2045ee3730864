// The crowd feed end to end: the built extension in headless Chromium, probing a fake internet, and
// the REAL feed server (server/server.ts, SQLite in a temporary folder) on localhost, which the
// resolver rules leave alone, behind a recording proxy (feed-fixture.ts) that shows what the browser
// really sent. The extension is pointed at it through the options page, reports a problem from the
// popup, and reads the level the server computes; a web page in the same browser cannot report.
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BUCKET_MS } from '../../server/core/baseline';
import type { RunningServer } from '../../server/server';
import type { StoredReport } from '../../server/storage/types';
import { BADGE_STYLES } from '../../src/core/badge';
import { countryName } from '../../src/core/format-more';
import { countryFromLocales } from '../../src/core/report';
import type { FeedDocument, ServiceFeed } from '../../src/shared/feed';
import { POPUP_PATH, storedValue, waitUntil } from './extension';
import { startRecordedFeed } from './feed-fixture';
import { setFeedUrl } from './options-page';
import { useChromium } from './session';

const WHATSAPP = 'web.whatsapp.com';
/** Reports per bucket that make a cold-start server say "outage" (server/ALGORITHM.md §3–4: baseline 10, outage ≥ 60 after a raised bucket ≥ 30). */
const OUTAGE_REPORTS = 70;

/** The crowd cache the extension saved with its last check (storage.local "crowd"). */
interface StoredCrowd {
  url?: string;
  feed?: FeedDocument | null;
  problem?: string | null;
}

async function serverFeed(s: RunningServer): Promise<FeedDocument> {
  const response = await fetch(`${s.url}/v1/feed`);
  expect(response.status).toBe(200);
  return (await response.json()) as FeedDocument;
}

const sumOf = (feed: ServiceFeed | undefined) => (feed?.series ?? []).reduce((n, p) => n + p.reports, 0);

/** Clicks "Report a problem" on a row, picks the problem, and returns the answer shown in words. */
async function reportFromPopup(page: Page, service: string, problem: string) {
  const row = page.locator(`[data-service="${service}"][data-status]`);
  await row.locator(`[data-action="report"][data-service="${service}"]`).click();
  // The click replaces the button with the problem choices; a new answer replaces the old one.
  await row.locator(`[data-problem="${problem}"]`).click();
  const outcome = row.locator('.report-outcome[data-outcome]');
  await outcome.waitFor();
  return { kind: await outcome.getAttribute('data-outcome'), text: (await outcome.textContent())?.trim() };
}

const launched = useChromium({
  setUp: async ({ ext }, onClose) => {
    // The feed URL as a user types it (localhost is not rerouted to the fake internet): the proxy's.
    const feed = await startRecordedFeed();
    onClose(() => feed.close());

    // Point the extension at the server the way a user would: the options page's feed field.
    await setFeedUrl(ext, feed.feedUrl);
    // Saving runs a check at once, which reads the feed.
    const documentUrl = `${feed.feedUrl}/v1/feed`;
    await waitUntil(
      'a check that read the feed',
      async () => {
        const crowd = await storedValue<StoredCrowd>(ext, 'crowd');
        return crowd?.url === documentUrl && !!crowd.feed;
      },
      30_000,
    );
    const popup = await ext.openPage(POPUP_PATH);
    await popup.waitForSelector('[data-service="whatsapp"][data-status="up"][data-crowd="normal"]');
    return { feed, server: feed.server, popup };
  },
});

describe('crowd feed (Chromium, real feed server on localhost)', () => {
  it('reports a WhatsApp problem from the popup: counted, in words, and the count rises', async () => {
    const { feed, server, ext, popup } = launched();
    expect((await serverFeed(server)).services.whatsapp).toBeUndefined();

    const answer = await reportFromPopup(popup, 'whatsapp', 'messages');
    expect(answer).toEqual({ kind: 'counted', text: 'Thank you: your report was counted.' });
    expect(server.stats.counted).toBe(1);

    // What the background's fetch really carried (the recording proxy saw it): the extension's own
    // origin, on the CORS preflight (a JSON post needs one) and on the post, which the server counted.
    const extensionOrigin = `chrome-extension://${ext.extensionId}`;
    expect(feed.reportRequests().map(({ method, origin, status }) => ({ method, origin, status }))).toEqual([
      { method: 'OPTIONS', origin: extensionOrigin, status: 204 },
      { method: 'POST', origin: extensionOrigin, status: 202 },
    ]);

    // The server's feed has it, with the problem and the country from the browser's languages.
    const whatsapp = (await serverFeed(server)).services.whatsapp;
    expect(whatsapp?.level).toBe('normal');
    expect(sumOf(whatsapp)).toBe(1);
    expect(whatsapp?.problems).toEqual({ messages: 1 });
    const languages = await popup.evaluate(() => [...navigator.languages]);
    const country = countryFromLocales(languages);
    expect(whatsapp?.countries).toEqual(country ? { [country]: 1 } : {});

    // After a check the popup shows it: the count in words and one bar on the 24 h chart.
    await ext.runCheck();
    const seen = (await storedValue<StoredCrowd>(ext, 'crowd'))?.feed?.services.whatsapp;
    expect(sumOf(seen)).toBe(1);
    const row = popup.locator('[data-service="whatsapp"][data-status]');
    const summary = row.locator('.crowd-summary');
    await summary.waitFor({ state: 'attached' });
    // `recent` is the current 15-min bucket: 1, or 0 if the bucket turned over since the report.
    await waitUntil(
      'the popup to show the report',
      async () =>
        (await summary.textContent())?.startsWith(`Reports in the last 15 min: ${seen?.recent ?? -1} `) ===
        true,
      5_000,
    );
    expect(await summary.textContent()).toMatch(/^Reports in the last 15 min: [01] \(usually 10\)$/);
    const bars = await row
      .locator('.crowd-chart rect')
      .evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('height'))));
    expect(bars).toHaveLength(96);
    expect(bars.filter((h) => h > 0)).toHaveLength(1);
    await row.locator('details.crowd summary').click();
    const details = await row.locator('details.crowd').innerText();
    expect(details).toMatch(/Most reported: [^\n]*messages \(1\)/);
    if (country) expect(details).toContain(`${countryName(country, 'en')} (1, your country)`);
  });

  it('says "already reported" for a second report within 30 minutes, and does not count it', async () => {
    const { feed, ext, server, popup } = launched();
    const seen = feed.reportRequests().length;
    const answer = await reportFromPopup(popup, 'whatsapp', 'connection');
    expect(answer).toEqual({
      kind: 'duplicate',
      text: 'You already reported WhatsApp in the last 30 minutes.',
    });
    expect(server.stats).toMatchObject({ counted: 1, duplicate: 1 });
    // Sent from the extension's origin again (its preflight may be cached: no OPTIONS needed then).
    expect(
      feed
        .reportRequests()
        .slice(seen)
        .filter((r) => r.method === 'POST')
        .map(({ origin, status }) => ({ origin, status })),
    ).toEqual([{ origin: `chrome-extension://${ext.extensionId}`, status: 202 }]);
    expect(sumOf((await serverFeed(server)).services.whatsapp)).toBe(1);
  });

  it('shows the amber "possible outage" badge when the server computes an outage while the probes are up', async () => {
    const { internet, server, ext, popup } = launched();
    // Distinct people in the previous and the current 15-min bucket, enough for a cold-start server to
    // call an outage (baseline 10: raised ≥ 30 then ≥ 60). Stored the way the server stores reports.
    const now = Date.now();
    const seed = (at: number, n: number, tag: string): StoredReport[] =>
      Array.from({ length: n }, (_, i) => ({
        service: 'whatsapp',
        problem: i % 3 === 0 ? 'connection' : 'messages',
        country: 'GB',
        clientHash: `${tag}-${i}-${randomBytes(8).toString('hex')}`,
        netHash: randomBytes(8).toString('hex'),
        at,
      }));
    const results = await server.storage.addReports([
      ...seed(now - BUCKET_MS, OUTAGE_REPORTS, 'previous'),
      ...seed(now, OUTAGE_REPORTS, 'current'),
    ]);
    expect(results.every((r) => r.counted)).toBe(true);
    const whatsapp = (await serverFeed(server)).services.whatsapp;
    expect(whatsapp?.level).toBe('outage');
    expect(whatsapp?.baseline).toBe(10);

    const since = Date.now();
    await ext.runCheck();
    const badge = await ext.waitForBadge((b) => b.text === BADGE_STYLES.degraded.text, 5_000);
    expect(badge).toMatchObject({ text: '?', color: BADGE_STYLES.degraded.color });
    expect(badge.text).not.toBe(BADGE_STYLES['other-down'].text);
    expect(badge.title).toMatch(/^WhatsApp: possible outage for/);

    // The probes found WhatsApp up: the crowd alone makes it a "possible outage", with low confidence.
    expect(internet.requests.some((r) => r.host === WHATSAPP && r.at >= since)).toBe(true);
    const row = popup.locator('[data-service="whatsapp"][data-crowd="outage"]');
    await row.waitFor({ timeout: 5_000 });
    expect(await row.getAttribute('data-status')).toBe('degraded');
    expect((await row.locator('.status').textContent())?.trim()).toBe('! possible outage');
    // The headline says it with the numbers, and the count is in view without unfolding anything.
    expect(await popup.locator('h1').textContent()).toMatch(
      /^Many people report problems with WhatsApp: [\d,]+ in the last 15 min \(usually 10\)\. It still answers from here\.$/,
    );
    expect(await row.locator('.crowd-summary').isVisible()).toBe(true);
    expect(await row.locator('.crowd-summary').textContent()).toMatch(
      /^Reports in the last 15 min: [\d,]+ \(usually 10\)$/,
    );
    expect(await popup.locator('[data-service="telegram"][data-status]').getAttribute('data-crowd')).toBe(
      'normal',
    );
    await row.locator('details.why summary').click();
    expect(await row.locator('details.why').innerText()).toMatch(/[\d,]+ reports in 15 min, usually 10/);
  });

  it('a web page in the same browser cannot report: its preflight and its no-cors post are refused', async () => {
    const { feed, server, ext } = launched();
    const before = { ...server.stats };
    const seen = feed.proxy.requests.length;
    const page = await ext.context.newPage();
    try {
      // Any https page (routed to the fake internet) posting to the feed the user set, from the page.
      await page.goto(`https://${WHATSAPP}/`);
      const answers = await page.evaluate(
        async ({ url, body }) => {
          const outcome = (sent: Promise<Response>) =>
            sent.then(
              (r) => ({ type: r.type, status: r.status }),
              (e: unknown) => ({ error: String(e) }),
            );
          return {
            // Declared JSON: the browser asks first (preflight), the server refuses, nothing is posted.
            json: await outcome(
              fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }),
            ),
            // A "simple" request needs no preflight: it is posted, and the answer is opaque to the page.
            simple: await outcome(
              fetch(url, {
                method: 'POST',
                mode: 'no-cors',
                headers: { 'content-type': 'text/plain' },
                body,
              }),
            ),
          };
        },
        {
          url: `${feed.feedUrl}/v1/reports`,
          body: JSON.stringify({ service: 'whatsapp', problem: 'messages', client: 'web-page-0123456789' }),
        },
      );
      expect(answers.json).toEqual({ error: expect.stringMatching(/TypeError: Failed to fetch/) });
      expect(answers.simple).toEqual({ type: 'opaque', status: 0 });

      const pageOrigin = `https://${WHATSAPP}`;
      const sent = feed.proxy.requests.slice(seen).filter((r) => r.path === '/v1/reports');
      expect(sent.map(({ method, origin, status }) => ({ method, origin, status }))).toEqual([
        { method: 'OPTIONS', origin: pageOrigin, status: 403 },
        { method: 'POST', origin: pageOrigin, status: 403 },
      ]);
      expect(sent[1]?.contentType).toMatch(/^text\/plain/);
      // The server refused the post before reading it, and counted nothing.
      expect(server.stats.forbiddenOrigin).toBe(before.forbiddenOrigin + 1);
      expect(server.stats).toMatchObject({ counted: before.counted, duplicate: before.duplicate });
    } finally {
      await page.close();
    }
  });
});
