// The popup's `browser`: the browser's own promise-based extension API, without webextension-polyfill,
// which is 2.7 KB of the popup's 15 KB first load. Firefox has `browser` itself, and there the polyfill
// hands back that very object; Chrome's MV3 `chrome` answers with promises every call the popup makes
// (storage, runtime messages and the options page, i18n, permissions, commands, tabs). Only the popup's
// own build uses it: vite.config.ts points `webextension-polyfill` here for that build alone. Every
// other page, the worker and the tests keep the polyfill.
import type Browser from 'webextension-polyfill';

const scope = globalThis as { browser?: Browser.Browser; chrome?: Browser.Browser };
const native = scope.browser ?? scope.chrome;
if (!native) throw new Error('not an extension page: no browser or chrome API');

export default native;
