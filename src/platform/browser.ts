// The only door to the extension APIs: everything goes through webextension-polyfill's `browser`,
// so Chrome and Firefox behave alike and tests can swap in an in-memory browser.
import browser from 'webextension-polyfill';

export type { Alarms, Runtime, Storage } from 'webextension-polyfill';
export { browser };
