// The popup's first load (its own JS and CSS, Preact included; its build calls the browser's own API,
// without webextension-polyfill: docs/architecture.md) must stay within 15 KB gzip: one import of a module that pulls in the feed's schemas once added 3.3 KB unseen.
// Reads the built popup: `npm test` builds before it runs the tests.
import { describe, expect, it } from 'vitest';
import { popupGzipBytes } from '../../bench/popup';

const BUDGET_BYTES = 15 * 1024;

describe('the built popup', () => {
  it(`loads at most ${BUDGET_BYTES} bytes gzip before its first paint`, () => {
    expect(popupGzipBytes()).toBeLessThanOrEqual(BUDGET_BYTES);
  });
});
