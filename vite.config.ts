import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import chromeManifest from './manifest.json' with { type: 'json' };

export type TargetBrowser = 'chrome' | 'firefox';
type Manifest = typeof chromeManifest;

export const GECKO_ID = 'detour@detour-extension.org';

/**
 * manifest.json is the Chrome manifest, as Chrome reads it. Firefox's differs in two ways, applied here
 * and nowhere else:
 * - Firefox runs the same background module as a background script, not a service worker;
 * - it needs an add-on id, and asks its built-in data consent before anything leaves the device:
 *   nothing is needed to work; reports to a crowd feed (a click on "Report a problem") carry a client
 *   id, so they ask for technical and interaction data first, and the country goes with them only if
 *   the user allows location too (PRIVACY.md).
 */
export function manifestFor(browser: TargetBrowser): Manifest | FirefoxManifest {
  if (browser === 'chrome') return chromeManifest;
  const { background, ...rest } = chromeManifest;
  return {
    ...rest,
    background: { scripts: [background.service_worker], type: background.type },
    browser_specific_settings: {
      gecko: {
        id: GECKO_ID,
        strict_min_version: '142.0',
        data_collection_permissions: {
          required: ['none'],
          optional: ['technicalAndInteraction', 'locationInfo'],
        },
      },
    },
  };
}

export type FirefoxManifest = Omit<Manifest, 'background'> & {
  background: { scripts: string[]; type: string };
  browser_specific_settings: {
    gecko: {
      id: string;
      strict_min_version: string;
      data_collection_permissions: { required: string[]; optional: string[] };
    };
  };
};

/**
 * What a page needs for its first paint, in one chunk: fewer files compress better, and the popup's
 * first load is measured in gzip bytes (npm run bench). Other pages and the worker load it too; the
 * little they do not use of it costs them nothing that matters.
 */
const FIRST_PAINT =
  /rolldown[\\/]runtime|node_modules[\\/](preact[\\/](dist|jsx-runtime)|webextension-polyfill)[\\/]|src[\\/](popup[\\/](app|service-row)|core[\\/](headline|format|settings|stored|handles|plain-read|snapshot|services|stale|thresholds|types)|platform[\\/](view-store|storage-keys|snapshot|messaging|i18n|browser)|ui[\\/](message-of|browser-core-connector))\.tsx?$/;

// `vite build --mode chrome` → dist/chrome (service worker); `--mode firefox` → dist/firefox
// (background scripts).
export default defineConfig(({ mode }) => {
  const browser: TargetBrowser = mode === 'firefox' ? 'firefox' : 'chrome';
  return {
    plugins: [preact(), crx({ manifest: manifestFor(browser) as ManifestV3Export, browser })],
    build: {
      outDir: `dist/${browser}`,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      // Chrome and Firefox preload modules themselves: no polyfill for <link rel="modulepreload">.
      modulePreload: false,
      // Pages the manifest does not name: the first-run welcome page (opened by the background).
      rolldownOptions: {
        input: { welcome: 'src/welcome/index.html' },
        output: { codeSplitting: { groups: [{ name: 'first-paint', test: FIRST_PAINT }] } },
      },
    },
    server: { port: 5173, strictPort: true, hmr: { port: 5173 } },
  };
});
