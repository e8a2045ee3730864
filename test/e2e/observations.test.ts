// Sharing what the browser sees, end to end: the built extension in headless Chromium probing the fake
// internet, and the REAL feed server (POST /v1/observations, the feed's sampling hints) on localhost
// behind the recording proxy (feed-fixture.ts), which shows what the browser really sent. The server
// is started with a 2 s spread (`--observe-spread 2`), so the test need not wait the default minute.
import { describe, expect, it } from 'vitest';
import type { ObserveState } from '../../src/core/observe';
import { countryFromLocales } from '../../src/core/report';
import type { Settings } from '../../src/core/settings';
import { type LaunchedExtension, storedValue, waitUntil } from './extension';
import { type ProxiedRequest, startRecordedFeed } from './feed-fixture';
import { setFeedUrl, turnOnSharing } from './options-page';
import { serverProbes } from './other-browsers';
import { useChromium } from './session';

const WHATSAPP = 'web.whatsapp.com';
const SPREAD_SECONDS = 2;

const storedSettings = async (ext: LaunchedExtension) =>
  (await storedValue<Settings>(ext, 'settings')) ?? null;

const launched = useChromium({
  setUp: async ({ ext }, onClose) => {
    const feed = await startRecordedFeed({ observeSpreadSeconds: SPREAD_SECONDS });
    onClose(() => feed.close());
    await setFeedUrl(ext, feed.feedUrl);
    // The check that saving runs reads the feed, and with it the server's hints (the 2 s spread).
    await waitUntil(
      'a check that read the feed',
      async () => !!(await storedValue<{ feed?: { observe?: unknown } }>(ext, 'crowd'))?.feed?.observe,
      30_000,
    );
    return { feed };
  },
});

const posts = (requests: readonly ProxiedRequest[]) => requests.filter((r) => r.method === 'POST');

/** Nothing waits to be posted: the check saves what it will post before posting it (checker.ts). */
const nothingPending = async (ext: LaunchedExtension) =>
  (await storedValue<ObserveState>(ext, 'observe'))?.pending ?? null;

describe('sharing what the browser sees (Chromium, the real feed server on localhost)', () => {
  it('sends nothing while sharing is off (the default), even when an app fails', async () => {
    const { ext, internet, feed } = launched();
    expect((await storedSettings(ext))?.shareObservations).toBe(false);
    internet.setHost(WHATSAPP, 'reset');
    await ext.runCheck();
    await ext.waitForBadge((b) => b.text === '!', 5_000);
    // Nothing was sent, and nothing waits to be: no post can follow this check.
    expect(await nothingPending(ext)).toBeNull();
    expect(feed.observationRequests()).toEqual([]);
    internet.setHost(WHATSAPP, 'ok');
    await ext.runCheck();
    await ext.waitForBadge((b) => b.text !== '!', 5_000);
    expect(await nothingPending(ext)).toBeNull();
    expect(feed.observationRequests()).toEqual([]);
    expect(await serverProbes(feed.server.url, 'whatsapp')).toBeUndefined();
  });

  it('saves the checkbox; then an app that fails on the fake internet makes exactly one post, counted', async () => {
    const { ext, internet, feed } = launched();
    await turnOnSharing(ext);
    expect((await storedSettings(ext))?.shareObservations).toBe(true);

    // Turned on: the probes' picture goes out once, after the feed's random wait.
    await waitUntil(
      'the first observation',
      async () => posts(feed.observationRequests()).some((r) => r.status === 202),
      15_000,
    );
    const [first] = posts(feed.observationRequests());
    expect(JSON.parse(first?.body ?? '{}').services).toEqual({
      whatsapp: 'up',
      telegram: 'up',
      signal: 'up',
    });
    // The server counted it: this browser's network (127.0.0.0/24, through the proxy) reaches WhatsApp,
    // in the country of the browser's languages.
    const languages = await ext.worker.evaluate(() => [...navigator.languages]);
    const country = countryFromLocales(languages);
    const inCountry = (down: number, up: number) => (country ? { [country]: [down, up] } : {});
    expect(feed.server.stats.observationsCounted).toBe(1);
    expect(await serverProbes(feed.server.url, 'whatsapp')).toEqual({
      down: 0,
      up: 1,
      countries: inCountry(0, 1),
    });

    internet.setHost(WHATSAPP, 'reset');
    await ext.runCheck();
    await waitUntil(
      'the observation of the failure',
      async () => posts(feed.observationRequests()).filter((r) => r.status === 202).length === 2,
      15_000,
    );
    // The same network, now down: one network, one voice (its one client changed its word).
    expect(feed.server.stats.observationsCounted).toBe(2);
    expect(await serverProbes(feed.server.url, 'whatsapp')).toEqual({
      down: 1,
      up: 0,
      countries: inCountry(1, 0),
    });
    // No second post for the same change, however many checks follow: nothing waits to be posted.
    await ext.runCheck();
    expect(await nothingPending(ext)).toBeNull();
    const sent = posts(feed.observationRequests());
    expect(sent).toHaveLength(2);
    const change = sent[1] as ProxiedRequest;
    expect(change.origin).toBe(`chrome-extension://${ext.extensionId}`);
    expect(change.status).toBe(202);
    expect(change.contentType).toBe('application/json');
    expect(Buffer.byteLength(change.body)).toBeLessThan(300);
    expect(JSON.parse(change.body)).toEqual({
      client: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      ...(country ? { country } : {}),
      services: { whatsapp: 'down', telegram: 'up', signal: 'up' },
    });
    // The request as Chromium put it on the wire: the figure docs/benchmarks.md counts with.
    expect(change.headerBytes).toBeLessThan(800);
  });
});
