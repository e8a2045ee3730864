// First run: the background opens the welcome page when Detour is installed, and never on an update.
import { fakeBrowser } from '@webext-core/fake-browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import en from '../../_locales/en/messages.json';
import chromeManifest from '../../manifest.json' with { type: 'json' };
import { translatorFor } from '../../src/core/translate';

vi.mock('webextension-polyfill', () => ({ default: fakeBrowser }));

const t = translatorFor(en);
/** Chrome and Firefox name the reasons differently (chrome_update, browser_update). */
type InstalledDetails = Parameters<typeof fakeBrowser.runtime.onInstalled.trigger>[0];
const WELCOME_URL = fakeBrowser.runtime.getURL('src/welcome/index.html');

beforeEach(async () => {
  fakeBrowser.reset();
  // Every host fails: no test here needs the network, and a failing probe answers at once.
  vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
  Object.assign(fakeBrowser.i18n, {
    getMessage: (key: string, subs?: string[]) => t(key as never, subs),
    getUILanguage: () => 'en',
  });
  // Grants are none of this test's business: their events are stubbed where the fake has none.
  const quiet = { addListener() {}, removeListener() {}, hasListener: () => false };
  Object.assign(fakeBrowser.permissions, { contains: async () => false, onAdded: quiet, onRemoved: quiet });
  Object.assign(fakeBrowser.runtime, { getManifest: () => chromeManifest });
  // fake-browser has no setPopup: without one, each of the background's paints logs an error, and a
  // paint still running when the file ends logs after the console is restored (vitest then fails the
  // run with "Closing rpc while onUserConsoleLog was pending").
  Object.assign(fakeBrowser.action, { setPopup: async () => undefined });
  vi.spyOn(console, 'info').mockImplementation(() => undefined);
  vi.resetModules();
  await import('../../src/background/index');
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

async function tabsAfter(reason: string): Promise<string[]> {
  const create = vi.spyOn(fakeBrowser.tabs, 'create');
  await fakeBrowser.runtime.onInstalled.trigger({ reason, temporary: false } as InstalledDetails);
  await new Promise((r) => setTimeout(r, 0));
  return create.mock.calls.map(([props]) => props.url ?? '');
}

describe('first run', () => {
  it('opens the welcome page once when Detour is installed', async () => {
    expect(await tabsAfter('install')).toEqual([WELCOME_URL]);
  });

  it.each(['update', 'browser_update', 'chrome_update'] as const)('opens nothing on %s', async (reason) => {
    expect(await tabsAfter(reason)).toEqual([]);
  });
});

describe('extension pages', () => {
  it('opens the welcome page at its badge legend', async () => {
    const { openExtensionPage, WELCOME_PAGE } = await import('../../src/platform/tabs');
    const create = vi.spyOn(fakeBrowser.tabs, 'create');
    await openExtensionPage(WELCOME_PAGE, 'badges');
    expect(create).toHaveBeenCalledWith({ url: `${WELCOME_URL}#badges` });
  });

  it('reads no shortcut when the browser cannot list its commands', async () => {
    const { actionShortcut } = await import('../../src/platform/commands');
    expect(await actionShortcut()).toBeNull();
  });

  it('reads the popup shortcut the browser has now', async () => {
    const { actionShortcut } = await import('../../src/platform/commands');
    const commands = [
      { name: 'other', shortcut: 'Ctrl+Shift+Y' },
      { name: '_execute_action', shortcut: 'Alt+Shift+D' },
    ];
    vi.spyOn(fakeBrowser.commands, 'getAll').mockImplementation((() => Promise.resolve(commands)) as never);
    expect(await actionShortcut()).toBe('Alt+Shift+D');
  });
});
