import { defineManifest } from '@crxjs/vite-plugin';
import pkg from './package.json' with { type: 'json' };
import { probeOriginPatterns } from './src/core/catalog.ts';

export type TargetBrowser = 'chrome' | 'firefox';

export const GECKO_ID = 'detour@detour-extension.org';

const icons = {
  16: 'icons/icon-16.png',
  32: 'icons/icon-32.png',
  48: 'icons/icon-48.png',
  128: 'icons/icon-128.png',
};

/** One manifest for both browsers; the differences are spelled out here and nowhere else. */
export const manifestFor = (browser: TargetBrowser) =>
  defineManifest({
    manifest_version: 3,
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    version: pkg.version,
    icons,
    action: {
      default_icon: icons,
      default_title: '__MSG_actionTitle__',
      default_popup: 'src/popup/index.html',
    },
    options_ui: { page: 'src/options/index.html', open_in_tab: true },
    // Opens the popup. Alt+Shift+D: Ctrl+Shift+U is Edge's Read aloud and the Linux (IBus) Unicode
    // entry; Alt+Shift+D is taken by neither Chrome, Edge nor Firefox. Users can change it.
    commands: {
      _execute_action: {
        suggested_key: { default: 'Alt+Shift+D', mac: 'Alt+Shift+D' },
        description: '__MSG_commandOpenPopup__',
      },
    },
    // Chrome runs a service worker; Firefox runs the same module as a background script.
    background:
      browser === 'firefox'
        ? { scripts: ['src/background/index.ts'], type: 'module' }
        : { service_worker: 'src/background/index.ts', type: 'module' },
    // alarms: the check schedule; storage: settings, verdicts, history and contacts, on this device only;
    // notifications: the down / back alerts.
    permissions: ['alarms', 'storage', 'notifications'],
    // Never granted at install: the user may grant them for readable status codes and portal detection.
    optional_host_permissions: probeOriginPatterns(),
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: GECKO_ID,
              strict_min_version: '142.0',
              // Nothing is needed to work. Reports to a crowd feed (a click on "Report a problem") carry
              // a random client id, so they ask Firefox's data consent first; the country goes with them
              // only if the user allows location too. See PRIVACY.md.
              data_collection_permissions: {
                required: ['none'],
                optional: ['technicalAndInteraction', 'locationInfo'],
              },
            },
          },
        }
      : {}),
  });
