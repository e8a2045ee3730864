/**
 * What every end-to-end test of the Firefox build shares, whichever protocol drives Firefox
 * (puppeteer-core over WebDriver BiDi in firefox.test.ts, Marionette in marionette.ts): the binary, the
 * build, the add-on's ids, and the prefs that send every host to the local fake servers.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIREFOX = '/usr/bin/firefox-esr';
const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
export const DIST_FIREFOX = join(ROOT, 'dist/firefox');
/** browser_specific_settings.gecko.id of the Firefox build. */
export const GECKO_ID = 'detour@detour-extension.org';
/** The add-on's moz-extension:// host, fixed through the extensions.webextensions.uuids pref. */
export const FIREFOX_UUID = '6c1f1b9e-2b1a-4d3c-9f3e-0d7e5a1c2b3d';

/**
 * network.dns.forceResolve sends every host name to 127.0.0.1 but keeps the port (so the fake
 * internet listens on 443 and 80, and a feed on localhost keeps its own port); the uuid is fixed.
 */
export const DETOUR_PREFS: Readonly<Record<string, string>> = {
  'network.dns.forceResolve': '127.0.0.1',
  'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_UUID }),
};

/** Throws an Error whose one-line message says what to do when Firefox or the build is missing. */
export function checkFirefoxSetup(): void {
  if (!existsSync(FIREFOX)) {
    throw new Error(`Firefox not found at ${FIREFOX}: install it with "apt-get install -y firefox-esr"`);
  }
  if (!existsSync(join(DIST_FIREFOX, 'manifest.json'))) {
    throw new Error('dist/firefox is missing: run "npm run build" first');
  }
}
