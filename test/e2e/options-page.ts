/** Changing settings the way a user does: on the options page, which saves each section on change. */
import type { Page } from 'playwright-core';
import { type LaunchedExtension, OPTIONS_PATH } from './extension';

/** Opens the options page, lets `act` change it, and waits for the section's "Saved". */
export async function inOptions(
  ext: LaunchedExtension,
  section: string,
  act: (page: Page) => Promise<void>,
): Promise<void> {
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

/** Types the feed URL into its field and leaves it (saved on change; saving runs a check). */
export function setFeedUrl(ext: LaunchedExtension, url: string): Promise<void> {
  return inOptions(ext, 'feed', async (page) => {
    await page.locator('input[name="feedUrl"]').fill(url);
    await page.locator('input[name="feedUrl"]').blur();
  });
}

/** Ticks "Share what my browser sees" (off until the user turns it on). */
export function turnOnSharing(ext: LaunchedExtension): Promise<void> {
  return inOptions(ext, 'share-observations', (page) =>
    page.locator('input[name="shareObservations"]').check(),
  );
}
