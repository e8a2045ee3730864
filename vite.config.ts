import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { build, defineConfig, type Plugin } from 'vite';
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

const POPUP_PAGE = 'src/popup/index.html';
const NATIVE_BROWSER = new URL('./src/platform/native-browser.ts', import.meta.url);

/**
 * The popup is built on its own, after the rest: a build with one page puts everything its first paint
 * needs into one module file, and each extra module file an extension page loads costs about 7 ms
 * (measured: a page importing one more file with the same bytes opened 7.6 ms later). Built with the
 * rest, the popup would share chunks with the other pages and the worker, and load three. The manifest
 * handed to crxjs leaves the popup out; this puts it back into the built manifest.
 */
function popupBuiltOnItsOwn(browser: TargetBrowser): Plugin {
  return {
    name: 'detour:popup-built-on-its-own',
    apply: 'build',
    async closeBundle() {
      await build({
        configFile: false,
        mode: browser,
        logLevel: 'warn',
        plugins: [preact(), plainDynamicImports()],
        build: {
          outDir: `dist/${browser}`,
          emptyOutDir: false,
          target: 'es2022',
          sourcemap: false,
          modulePreload: false,
          rolldownOptions: { input: { popup: POPUP_PAGE } },
        },
        // The browser's own API instead of webextension-polyfill (src/platform/native-browser.ts).
        resolve: { alias: { 'webextension-polyfill': fileURLToPath(NATIVE_BROWSER) } },
      });
      const path = `dist/${browser}/manifest.json`;
      const built = JSON.parse(readFileSync(path, 'utf8')) as { action: Record<string, unknown> };
      built.action.default_popup = POPUP_PAGE;
      writeFileSync(path, `${JSON.stringify(built, null, 2)}\n`);
    },
  };
}

/**
 * The popup's own build: its parts loaded on demand bring no CSS for Vite to preload (extras.tsx puts
 * its styles in itself), yet Vite wraps every `import()` in its preload helper, even with
 * `modulePreload: false` (vitejs/vite#18551): 0.66 KB gzip of the popup's first file, for nothing.
 * This hands Vite a helper that only imports, and stops the build if a chunk ever imports a stylesheet.
 */
function plainDynamicImports(): Plugin {
  const helper = '\0vite/preload-helper.js';
  return {
    name: 'detour:plain-dynamic-imports',
    enforce: 'pre',
    resolveId: (source) => (source === helper ? helper : undefined),
    load: (id) => (id === helper ? 'export const __vitePreload = (load) => load();' : undefined),
    generateBundle(_, bundle) {
      // The one thing the helper did that a plain import() does not: load the stylesheets a lazy chunk
      // imports. (extras.tsx links its own, through `?url`, which is no such import.)
      for (const file of Object.values(bundle)) {
        const sheets = file.type === 'chunk' ? (file.viteMetadata?.importedCss ?? new Set()) : new Set();
        if (sheets.size > 0) {
          this.error(
            `${file.fileName} imports ${[...sheets].join(', ')}, which a plain import() never loads`,
          );
        }
      }
    },
  };
}

/** The manifest crxjs builds from: the popup is left out (popupBuiltOnItsOwn builds it). */
function withoutPopup(manifest: ReturnType<typeof manifestFor>): ReturnType<typeof manifestFor> {
  const { default_popup: _, ...action } = manifest.action;
  return { ...manifest, action } as ReturnType<typeof manifestFor>;
}

// `vite build --mode chrome` → dist/chrome (service worker); `--mode firefox` → dist/firefox
// (background scripts).
export default defineConfig(({ mode }) => {
  const browser: TargetBrowser = mode === 'firefox' ? 'firefox' : 'chrome';
  return {
    plugins: [
      preact(),
      crx({ manifest: withoutPopup(manifestFor(browser)) as ManifestV3Export, browser }),
      popupBuiltOnItsOwn(browser),
    ],
    build: {
      outDir: `dist/${browser}`,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      // Chrome and Firefox preload modules themselves: no polyfill for <link rel="modulepreload">.
      modulePreload: false,
      // Pages the manifest does not name: the first-run welcome page (opened by the background).
      rolldownOptions: { input: { welcome: 'src/welcome/index.html' } },
    },
    server: { port: 5173, strictPort: true, hmr: { port: 5173 } },
  };
});
