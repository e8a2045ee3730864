// Sharing what the browser sees, end to end: the built extension in headless Chromium probing the fake
// internet, and a feed on localhost behind the recording proxy (feed-fixture.ts), which shows what the
// browser really sent. The feed server in this branch has no POST /v1/observations yet, so the proxy
// stands in for that endpoint (a CORS preflight for extension origins, 202 {"counted": true}) and for
// the feed document, which carries the sampling hints a server sets (everyone, a 2 s spread, so the
// test need not wait the default minute). Everything else reaches the real server.
import { describe, expect, it } from 'vitest';
import type { FeedDocument } from '../../src/shared/feed';
import { type LaunchedExtension, OPTIONS_PATH, waitUntil } from './extension';
import { type ProxiedRequest, type StandIn, startRecordedFeed } from './feed-fixture';
import { useChromium } from './session';

const WHATSAPP = 'web.whatsapp.com';
const SPREAD_SECONDS = 2;

/** The proxy's stand-in: a feed document with sampling hints, and the observations endpoint. */
const standIn: StandIn = (request) => {
  const path = request.path.split('?')[0];
  if (path === '/v1/feed' && request.method === 'GET') {
    const feed: FeedDocument = {
      version: 1,
      generatedAt: new Date().toISOString(),
      bucketMinutes: 15,
      services: {},
      observe: { sample: 1, spreadSeconds: SPREAD_SECONDS },
    };
    const headers = { 'content-type': 'application/json', 'access-control-allow-origin': '*' };
    return { status: 200, headers: { ...headers, 'cache-control': 'no-store' }, body: JSON.stringify(feed) };
  }
  if (path !== '/v1/observations') return null;
  // As the reference server answers reports: extension origins only.
  if (!request.origin?.startsWith('chrome-extension://')) return { status: 403, headers: {}, body: '' };
  const cors = { 'access-control-allow-origin': request.origin, vary: 'origin' };
  if (request.method === 'OPTIONS') {
    const preflight = {
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'content-type',
    };
    return { status: 204, headers: { ...cors, ...preflight, 'access-control-max-age': '86400' }, body: '' };
  }
  return { status: 202, headers: { ...cors, 'content-type': 'application/json' }, body: '{"counted":true}' };
};

/** The settings as stored (storage.local "settings"). */
async function storedSettings(ext: LaunchedExtension): Promise<Record<string, unknown>> {
  return ext.worker.evaluate(async () => {
    const { chrome } = globalThis as unknown as {
      chrome: { storage: { local: { get(key: string): Promise<Record<string, unknown>> } } };
    };
    return ((await chrome.storage.local.get('settings')).settings ?? {}) as Record<string, unknown>;
  });
}

/** Opens the options page, lets `act` change it, and waits for the section's "Saved". */
async function inOptions(
  ext: LaunchedExtension,
  section: string,
  act: (page: import('playwright-core').Page) => Promise<void>,
) {
  const options = await ext.openPage(OPTIONS_PATH);
  await act(options);
  await options.waitForFunction(
    (id) =>
      [...document.querySelectorAll(`[data-section="${id}"] [role="status"]`)].some((e) =>
        e.textContent?.includes('Saved'),
      ),
    section,
  );
  await options.close();
}

const launched = useChromium({
  setUp: async ({ ext }, onClose) => {
    const feed = await startRecordedFeed({ standIn });
    onClose(() => feed.close());
    await inOptions(ext, 'feed', async (page) => {
      await page.locator('input[name="feedUrl"]').fill(feed.feedUrl);
      await page.locator('input[name="feedUrl"]').blur();
    });
    return { feed };
  },
});

const posts = (requests: readonly ProxiedRequest[]) => requests.filter((r) => r.method === 'POST');

describe('sharing what the browser sees (Chromium, a feed on localhost)', () => {
  it('sends nothing while sharing is off (the default), even when an app fails', async () => {
    const { ext, internet, feed } = launched();
    expect((await storedSettings(ext)).shareObservations).toBe(false);
    internet.setHost(WHATSAPP, 'reset');
    await ext.runCheck();
    await ext.waitForBadge((b) => b.text === '!', 5_000);
    // Longer than any wait the feed asks for.
    await new Promise((resolve) => setTimeout(resolve, (SPREAD_SECONDS + 2) * 1000));
    expect(feed.observationRequests()).toEqual([]);
    internet.setHost(WHATSAPP, 'ok');
    await ext.runCheck();
    await ext.waitForBadge((b) => b.text !== '!', 5_000);
  });

  it('saves the checkbox; then an app that fails on the fake internet makes exactly one post', async () => {
    const { ext, internet, feed } = launched();
    await inOptions(ext, 'share-observations', (page) =>
      page.locator('input[name="shareObservations"]').check(),
    );
    expect((await storedSettings(ext)).shareObservations).toBe(true);

    // Turned on: the probes' picture goes out once, after the feed's random wait.
    await waitUntil(
      'the first observation',
      async () => posts(feed.observationRequests()).length === 1,
      15_000,
    );
    const [first] = posts(feed.observationRequests());
    expect(JSON.parse(first?.body ?? '{}').services).toEqual({
      whatsapp: 'up',
      telegram: 'up',
      signal: 'up',
    });

    internet.setHost(WHATSAPP, 'reset');
    await ext.runCheck();
    await waitUntil(
      'the observation of the failure',
      async () => posts(feed.observationRequests()).length === 2,
      15_000,
    );
    // No second post for the same change, however many checks and wake-ups follow.
    await ext.runCheck();
    await new Promise((resolve) => setTimeout(resolve, (SPREAD_SECONDS + 2) * 1000));
    const sent = posts(feed.observationRequests());
    expect(sent).toHaveLength(2);
    const change = sent[1] as ProxiedRequest;
    expect(change.origin).toBe(`chrome-extension://${ext.extensionId}`);
    expect(change.status).toBe(202);
    expect(change.contentType).toBe('application/json');
    expect(Buffer.byteLength(change.body)).toBeLessThan(300);
    expect(change.body).toContain('"whatsapp":"down"');
    expect(JSON.parse(change.body)).toEqual({
      client: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      ...(JSON.parse(change.body).country ? { country: expect.stringMatching(/^[A-Z]{2}$/) } : {}),
      services: { whatsapp: 'down', telegram: 'up', signal: 'up' },
    });
    // The request as Chromium put it on the wire: the figure docs/benchmarks.md counts with.
    expect(change.headerBytes).toBeLessThan(800);
  });
});
