// The crowd feed in Debian's real Firefox (firefox-esr), driven over Marionette (marionette.ts), which
// can open the extension's own pages: dist/firefox is pointed at the REAL feed server through its
// options page, reports a problem from its popup, turns on sharing what it sees, and the recording
// proxy in front of the server (feed-fixture.ts) shows what the background's fetch really carried.
//
// network.dns.forceResolve sends every host name to 127.0.0.1 keeping the port: the fake internet
// listens on 443 and 80 (as firefox.test.ts's does; the e2e project runs one file at a time, so the
// two never hold the ports together), and the feed URL http://localhost:<proxy port> reaches the proxy.
import { describe, expect, it } from 'vitest';
import { seedJsonOf } from '../seed-url';
import { OPTIONS_PATH, POPUP_PATH } from './extension';
import { startFakeInternet } from './fake-internet';
import { startRecordedFeed } from './feed-fixture';
import { checkFirefoxSetup, DETOUR_PREFS, DIST_FIREFOX, FIREFOX_UUID, GECKO_ID } from './firefox';
import { type Firefox, launchFirefox } from './marionette';
import { serverProbes } from './other-browsers';
import { useSession } from './session';

const EXTENSION_ORIGIN = `moz-extension://${FIREFOX_UUID}`;
const page = (path: string) => `${EXTENSION_ORIGIN}/${path}`;

/**
 * Firefox asks its built-in data consent (technicalAndInteraction) the first time a report is sent, or
 * when sharing what the browser sees is turned on (the same data, the same consent):
 * permissions.request from the click shows a doorhanger, which a headless test cannot answer. So the
 * test gives the consent beforehand the way Firefox records it when the user allows it (the prompt's
 * "Allow", or the switch in about:addons → Detour → Permissions and data): ExtensionPermissions.add,
 * told to the running extension. The popup's request from the click then finds it granted and goes on
 * without a prompt, as it does for a user who already agreed. Location (the country) stays refused.
 */
async function grantReportConsent(ff: Firefox): Promise<unknown> {
  return ff.execute(
    `const [id, types] = arguments;
     const { ExtensionPermissions } = ChromeUtils.importESModule(
       'resource://gre/modules/ExtensionPermissions.sys.mjs',
     );
     const extension = WebExtensionPolicy.getByID(id)?.extension;
     if (!extension) throw new Error(id + ' is not running');
     return (async () => {
       await ExtensionPermissions.add(id, { permissions: [], origins: [], data_collection: types }, extension);
       return (await ExtensionPermissions.get(id)).data_collection;
     })();`,
    [GECKO_ID, ['technicalAndInteraction']],
    'chrome',
  );
}

/** A start-up failure (no Firefox, no build, port 443 taken) fails every test with its message: never a skip. */
const launched = useSession(
  'Firefox',
  async (onClose) => {
    checkFirefoxSetup();
    const internet = await startFakeInternet({ ports: [443, 80] });
    onClose(() => internet.close());
    // Browsers post what they see at once (`--observe-spread 0`), not within a minute.
    const feed = await startRecordedFeed({ observeSpreadSeconds: 0 });
    onClose(() => feed.close());
    const ff = await launchFirefox({ prefs: DETOUR_PREFS });
    onClose(() => ff.close());
    expect(await ff.installAddon(DIST_FIREFOX)).toBe(GECKO_ID);
    expect(await grantReportConsent(ff)).toEqual(['technicalAndInteraction']);

    // Before a feed is set, the toolbar button opens the popup with its seed (src/platform/view-store.ts):
    // the page it opens, as Firefox has it now, once the install check has been painted.
    await ff.openTab(page(OPTIONS_PATH));
    await ff.waitFor(
      'the popup seeded with the install check',
      `return browser.action.getPopup({}).then((url) => url.includes('?view='));`,
      [],
      30_000,
    );
    const seededPopup = String(await ff.execute('return browser.action.getPopup({});'));
    // Point the extension at the feed the way a user would: type into the options page's field and
    // leave it (Tab), which fires input, change and blur; the page saves on change.
    const field = await ff.find('input[name="feedUrl"]');
    await ff.type(field, `${feed.feedUrl}\uE004`);
    await ff.waitFor(
      'the feed URL to be saved',
      `return [...document.querySelectorAll('[data-section="feed"] [role="status"]')]
         .some((e) => e.textContent.includes('Saved'));`,
    );
    // Saving runs a check at once, which reads the feed through the proxy.
    await waitFor(
      'a check that read the feed',
      () => feed.proxy.requests.some((r) => r.method === 'GET' && r.path === '/v1/feed' && r.status === 200),
      30_000,
    );
    return { internet, feed, firefox: ff, seededPopup };
  },
  120_000,
);

/**
 * Runs two posts to the feed as the web page in the current tab does (a script element: the page's own
 * origin, not Marionette's sandbox): one declared JSON (needs a preflight), one no-cors text/plain.
 */
async function postFromPage(ff: Firefox, url: string, body: string): Promise<unknown> {
  const run = `(async () => {
    const outcome = (sent) => sent.then((r) => ({ type: r.type, status: r.status }), (e) => ({ error: String(e) }));
    const url = ${JSON.stringify(url)};
    const body = ${JSON.stringify(body)};
    const json = await outcome(fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }));
    const simple = await outcome(
      fetch(url, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body }),
    );
    document.body.dataset.posted = JSON.stringify({ json, simple });
  })();`;
  const posted = await ff.execute(
    `const script = document.createElement('script');
     script.textContent = arguments[0];
     document.head.append(script);
     return new Promise((resolve, reject) => {
       const started = Date.now();
       const poll = setInterval(() => {
         const posted = document.body.dataset.posted;
         if (posted || Date.now() - started > 10000) {
           clearInterval(poll);
           posted ? resolve(posted) : reject(new Error('the page script did not finish'));
         }
       }, 50);
     });`,
    [run],
  );
  return JSON.parse(String(posted));
}

async function waitFor(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('crowd feed (Firefox, real feed server behind a recording proxy)', () => {
  it('opens the popup as the toolbar button does: painted from its seed, then with the feed from storage', async () => {
    const { firefox, seededPopup } = launched();
    expect(new URL(seededPopup).pathname).toBe(`/${POPUP_PATH}`);
    // Its first paint's words and format kit, learnt from Firefox's own getMessage and Intl.
    const { words } =
      seedJsonOf<{
        words?: { locale: string; messages: Record<string, string>; kit: { locale: string } | null };
      }>(seededPopup) ?? {};
    expect(words?.kit?.locale).toBe(words?.locale);
    // The words of its own first paint: the footer's, in every one, and a status word for the rows.
    expect(words?.messages.checkNow).toBeTruthy();
    expect(Object.keys(words?.messages ?? {}).some((key) => key.startsWith('status'))).toBe(true);
    await firefox.openTab(seededPopup);
    await firefox.find('[data-service="whatsapp"][data-status="up"][data-crowd="normal"]', 30_000);
  });

  it('reports a WhatsApp problem from the popup: sent from moz-extension://<uuid>, and counted', async () => {
    const { feed, firefox } = launched();
    await firefox.openTab(page(POPUP_PATH));
    await firefox.find('[data-service="whatsapp"][data-status="up"][data-crowd="normal"]', 30_000);
    await firefox.click(await firefox.find('[data-action="report"][data-service="whatsapp"]'));
    await firefox.click(
      await firefox.find('[data-service="whatsapp"][data-status] [data-problem="messages"]'),
    );
    const outcome = '[data-service="whatsapp"][data-status] .report-outcome[data-outcome]';
    await firefox.find(outcome);
    expect(
      await firefox.execute(
        'const e = document.querySelector(arguments[0]); return [e.dataset.outcome, e.textContent.trim()];',
        [outcome],
      ),
    ).toEqual(['counted', 'Thank you: your report was counted.']);
    expect(feed.server.stats.counted).toBe(1);

    const sent = feed.reportRequests().map(({ method, origin, status }) => ({ method, origin, status }));
    expect(sent).toEqual([
      { method: 'OPTIONS', origin: EXTENSION_ORIGIN, status: 204 },
      { method: 'POST', origin: EXTENSION_ORIGIN, status: 202 },
    ]);
  });

  it('sharing turned on in the options: one observation from moz-extension://<uuid>, counted, without the country', async () => {
    const { feed, firefox } = launched();
    expect(feed.observationRequests()).toEqual([]);
    // The checkbox asks for the data consent, granted already (no prompt), and saves on change.
    await firefox.openTab(page(OPTIONS_PATH));
    await firefox.click(await firefox.find('input[name="shareObservations"]'));
    await firefox.waitFor(
      'sharing to be saved',
      `return document.querySelector('input[name="shareObservations"]').checked &&
         [...document.querySelectorAll('[data-section="share-observations"] [role="status"]')]
           .some((e) => e.textContent.includes('Saved'));`,
    );
    // Saving runs a check, whose picture goes out at once: the server's 202 seen by the proxy.
    const posted = () => feed.observationRequests().filter((r) => r.method === 'POST' && r.status !== null);
    await waitFor('the observation to be answered', () => posted().length > 0, 30_000);
    expect(
      feed.observationRequests().map(({ method, origin, status }) => ({ method, origin, status })),
    ).toEqual([
      { method: 'OPTIONS', origin: EXTENSION_ORIGIN, status: 204 },
      { method: 'POST', origin: EXTENSION_ORIGIN, status: 202 },
    ]);
    const [post] = posted();
    expect(Buffer.byteLength(post?.body ?? '')).toBeLessThan(300);
    // Location (the country) is the consent left refused: the observation names none.
    expect(JSON.parse(post?.body ?? '{}')).toEqual({
      client: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      services: { whatsapp: 'up', telegram: 'up', signal: 'up' },
    });
    expect(feed.server.stats.observationsCounted).toBe(1);
    expect(await serverProbes(feed.server.url, 'whatsapp')).toEqual({ down: 0, up: 1, countries: {} });
  });

  it('a web page cannot report: its preflight and its no-cors post (Origin "null") are refused', async () => {
    const { feed, firefox } = launched();
    const before = { ...feed.server.stats };
    const seen = feed.proxy.requests.length;
    await firefox.openTab('https://web.whatsapp.com/');
    const answers = await postFromPage(
      firefox,
      `${feed.feedUrl}/v1/reports`,
      JSON.stringify({ service: 'whatsapp', problem: 'messages', client: 'web-page-0123456789' }),
    );
    expect(answers).toEqual({
      json: { error: expect.stringMatching(/^TypeError: NetworkError/) },
      simple: { type: 'opaque', status: 0 },
    });
    const sent = feed.proxy.requests.slice(seen).filter((r) => r.path === '/v1/reports');
    // Firefox names the page on the preflight, but sends the no-cors post from an https page to an
    // http:// feed with Origin "null" (a downgrade): refused all the same.
    expect(sent.map(({ method, origin, status }) => ({ method, origin, status }))).toEqual([
      { method: 'OPTIONS', origin: 'https://web.whatsapp.com', status: 403 },
      { method: 'POST', origin: 'null', status: 403 },
    ]);
    expect(feed.server.stats.forbiddenOrigin).toBe(before.forbiddenOrigin + 1);
    expect(feed.server.stats).toMatchObject({ counted: before.counted, duplicate: before.duplicate });
  });
});
