import type { Translate } from '../core/format';
import { browser } from './browser';

export const translate: Translate = (key, substitutions = []) =>
  browser.i18n.getMessage(
    key,
    substitutions.map((s) => String(s)),
  );

export function uiLocale(): string {
  return browser.i18n.getUILanguage() || 'en';
}

/** The UI language's writing direction. */
export function uiDir(): 'ltr' | 'rtl' {
  return browser.i18n.getMessage('@@bidi_dir') === 'rtl' ? 'rtl' : 'ltr';
}
