import type { BadgeStyle } from '../core/badge';
import { browser } from './browser';

/** Chrome MV3 and Firefox MV3 both expose `action`. */
export async function showBadge(style: BadgeStyle, title: string): Promise<void> {
  const { action } = browser;
  await action.setBadgeText({ text: style.text });
  if (style.color) await action.setBadgeBackgroundColor({ color: style.color });
  // setBadgeTextColor is newer (Chrome 110, Firefox 63); without it the browser picks a colour.
  if (style.textColor && typeof action.setBadgeTextColor === 'function') {
    await action.setBadgeTextColor({ color: style.textColor });
  }
  await action.setTitle({ title });
}

/**
 * The page the toolbar button opens: the popup named in the manifest, with the seed as its query
 * (none: the plain page, which reads storage first).
 */
export async function showPopupSeed(seed: string | null): Promise<void> {
  const page = browser.runtime.getManifest().action?.default_popup;
  if (!page) return;
  await browser.action.setPopup({ popup: seed ? `${page}?${seed}` : page });
}
