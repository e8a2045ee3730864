import { browser } from './browser';

/** The first-run page; also the full badge legend (its `#badges` section). */
export const WELCOME_PAGE = 'src/welcome/index.html';

/** Opens one of Detour's own pages in a new tab, e.g. `openExtensionPage(WELCOME_PAGE, 'badges')`. */
export async function openExtensionPage(path: string, section?: string): Promise<void> {
  const url = browser.runtime.getURL(section ? `${path}#${section}` : path);
  await browser.tabs.create({ url });
}

/** The welcome page opens once, when Detour is installed: never on an update or a browser update. */
export function welcomeOnInstall(reason: string): Promise<void> {
  return reason === 'install' ? openExtensionPage(WELCOME_PAGE) : Promise.resolve();
}
