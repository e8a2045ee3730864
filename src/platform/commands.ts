import { browser } from './browser';

/** The command that opens the popup (Chrome and Firefox MV3 alike). */
export const OPEN_POPUP_COMMAND = '_execute_action';

/**
 * The keys that open the popup as the browser has them now (the user may have changed or removed
 * them, or another extension may hold the suggested ones), e.g. "Alt+Shift+D"; null when none, or
 * when the browser cannot say.
 */
export async function actionShortcut(): Promise<string | null> {
  try {
    const commands = await browser.commands.getAll();
    const shortcut = commands.find((c) => c.name === OPEN_POPUP_COMMAND)?.shortcut?.trim();
    return shortcut ? shortcut : null;
  } catch {
    return null;
  }
}
