// A smoke test of the Firefox build (dist/firefox) in Debian's real Firefox (firefox-esr), driven by
// puppeteer-core over WebDriver BiDi. Firefox's network.dns.forceResolve sends every host name to
// 127.0.0.1 but keeps the port, so the fake internet listens on 443 and 80 (root in CI).
//
// BiDi refuses to open moz-extension:// pages (see docs/testing-browsers.md), so neither the popup
// nor the options page can be driven, and the feed URL (set only from the options page) stays empty:
// the test checks the background through what it sends to the fake internet. (firefox-feed.test.ts
// drives those pages over Marionette.)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { CATALOG, type CatalogId, CONTROL_TARGETS } from '../../src/core/catalog';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { DEFAULT_THRESHOLDS } from '../../src/core/thresholds';
import { waitUntil } from './extension';
import { type FakeInternet, type FakeRequest, startFakeInternet } from './fake-internet';
import { checkFirefoxSetup, DETOUR_PREFS, DIST_FIREFOX, FIREFOX, GECKO_ID } from './firefox';
import { useSession } from './session';

/** What the background fetches on every check with the default settings: the watched services' probes and the controls. */
const PROBES = [
  ...DEFAULT_SETTINGS.watched.map((id) => CATALOG[id as CatalogId].probes[0].url),
  ...CONTROL_TARGETS.map((c) => c.url),
].map((u) => new URL(u));
const WHATSAPP = new URL(CATALOG.whatsapp.probes[0].url);

/** A start-up failure (no Firefox, no build, port 443 taken) fails every test with its message: never a skip. */
const launched = useSession(
  'Firefox',
  async (onClose) => {
    checkFirefoxSetup();
    const internet = await startFakeInternet({ ports: [443, 80] });
    onClose(() => internet.close());
    const profile = await mkdtemp(join(tmpdir(), 'detour-e2e-firefox-'));
    onClose(() => rm(profile, { recursive: true, force: true }));
    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      acceptInsecureCerts: true,
      userDataDir: profile,
      extraPrefsFirefox: { ...DETOUR_PREFS },
    });
    onClose(() => browser.close().catch(() => undefined));
    return { internet, browser };
  },
  60_000,
);

const isProbe = (r: FakeRequest, u: URL) => r.host === u.hostname && r.path === `${u.pathname}${u.search}`;
const since = (fi: FakeInternet, index: number) => fi.requests.slice(index);

describe('Firefox build in firefox-esr (background only)', () => {
  it('probes the default watched services and the controls without cookies, and retries a failing service', async () => {
    const { internet, browser } = launched();

    // The user has cookies for every probed site, and a page visit does send them.
    await browser.setCookie(
      ...PROBES.map((u) => ({
        name: 'session',
        value: 'secret',
        domain: u.hostname,
        path: '/',
        secure: true,
      })),
    );
    const page = await browser.newPage();
    const visited = internet.requests.length;
    await page.goto(WHATSAPP.href);
    const visit = since(internet, visited).find((r) => r.host === WHATSAPP.hostname);
    expect(visit?.cookie).toContain('session=secret');
    await page.goto('about:blank');

    // Installing runs a check at once: every probe arrives, none with a cookie.
    const installed = internet.requests.length;
    const id = await browser.installExtension(DIST_FIREFOX);
    expect(id).toBe(GECKO_ID);
    await waitUntil(
      'the install check to send every probe',
      async () => PROBES.every((u) => since(internet, installed).some((r) => isProbe(r, u))),
      20_000,
    );
    const probes = since(internet, installed).filter((r) => PROBES.some((u) => isProbe(r, u)));
    // Over TLS, as HEAD or GET (a probe never needs more).
    expect(probes.filter((r) => !r.secure || !['HEAD', 'GET'].includes(r.method))).toEqual([]);
    expect(probes.map((r) => r.cookie).filter((c) => c !== null)).toEqual([]);

    // WhatsApp's connections start being reset (without host access Firefox gives the probe an opaque
    // answer, so an HTTP 503 would still read as "reachable": only a network failure is a failure).
    // Installing the build again (an update) runs a check: the background probes WhatsApp again, and
    // retries it until it has failed failureAttempts times.
    internet.setHost(WHATSAPP.hostname, 'reset');
    const failing = internet.requests.length;
    await browser.installExtension(DIST_FIREFOX);
    const whatsapp = () => since(internet, failing).filter((r) => isProbe(r, WHATSAPP));
    // Firefox itself retries a reset connection at once, so one attempt of the background's can arrive
    // as a burst of requests within milliseconds: the attempts are the bursts, retryDelayMs apart.
    const bursts = () =>
      whatsapp().filter(
        (r, i, all) => i === 0 || r.at - (all[i - 1]?.at ?? 0) >= DEFAULT_THRESHOLDS.retryDelayMs / 2,
      );
    const attempts = DEFAULT_THRESHOLDS.failureAttempts;
    await waitUntil('WhatsApp to be retried', async () => bursts().length >= attempts, 20_000);
    expect(
      whatsapp()
        .map((r) => r.cookie)
        .filter((c) => c !== null),
    ).toEqual([]);
    const starts = bursts().map((r) => r.at);
    const span = (starts.at(-1) ?? 0) - (starts[0] ?? 0);
    expect(span).toBeGreaterThanOrEqual((attempts - 1) * DEFAULT_THRESHOLDS.retryDelayMs - 200);
  });
});
