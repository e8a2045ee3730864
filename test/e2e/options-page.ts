/**
 * Changing settings the way a user does: on the options page, which saves each section on change; or,
 * where the page's controls are beside the point, with the message the options page sends.
 */
import type { Page } from 'playwright-core';
import type { SettingsPatch } from '../../src/shared/protocol';
import { type LaunchedExtension, OPTIONS_PATH } from './extension';

/** The part of the `chrome` global an extension page is asked for here (the project has no @types/chrome). */
interface PageChrome {
  runtime: { sendMessage(message: unknown): Promise<unknown> };
}

/**
 * Sends a settings patch to the background from one of the extension's pages (`page`), as the options
 * page does, and throws unless the background answered `{ ok: true }`: a refused patch would leave
 * the scenario running on the old settings.
 */
export async function updateSettings(page: Page, patch: SettingsPatch): Promise<void> {
  const answer = await page.evaluate(async (p) => {
    const { chrome } = globalThis as unknown as { chrome: PageChrome };
    return chrome.runtime.sendMessage({ type: 'update-settings', patch: p });
  }, patch);
  if ((answer as { ok?: unknown } | null)?.ok !== true) {
    throw new Error(`update-settings ${JSON.stringify(patch)} was refused: ${JSON.stringify(answer)}`);
  }
}

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
