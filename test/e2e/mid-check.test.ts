// Things that happen in the middle of a check, in headless Chromium against the fake internet: Chrome
// stops the service worker (it does after ~30 s idle, here through the DevTools protocol, see
// docs/testing-browsers.md), and the user picks another main app while a slow check runs. Each
// scenario has a browser of its own.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BADGE_STYLES } from '../../src/core/badge';
import { CHECK_STUCK_MS } from '../../src/core/snapshot';
import { DEFAULT_THRESHOLDS } from '../../src/core/thresholds';
import {
  type Badge,
  CHECK_ALARM,
  CHECK_TIMEOUT_MS,
  type LaunchedExtension,
  OPTIONS_PATH,
  POPUP_PATH,
  waitUntil,
} from './extension';
import { useChromium } from './session';

const WHATSAPP = 'web.whatsapp.com';
/** How long WhatsApp keeps each probe attempt waiting before it fails (under the 4 s probe timeout). */
const HANG_MS = 600;

/** What the tests read of storage.local (the project has no @types/chrome). */
interface Stored {
  state?: { checkedAt?: number | null };
  /** The running mark: set when a check starts, null once the check is saved. */
  checking?: { since: number } | null;
}

interface PageChrome {
  storage: { local: { get(keys: string[]): Promise<Stored> } };
  alarms: { get(name: string): Promise<{ scheduledTime: number } | undefined> };
}

/** Reads storage from an extension page: works while the worker is stopped, and never wakes it. */
const storedFrom = (page: Page): Promise<Stored> =>
  page.evaluate(() =>
    (globalThis as unknown as { chrome: PageChrome }).chrome.storage.local.get(['state', 'checking']),
  );

/** Reads storage from the worker. */
const storedIn = (ext: LaunchedExtension): Promise<Stored> =>
  ext.worker.evaluate(() =>
    (globalThis as unknown as { chrome: PageChrome }).chrome.storage.local.get(['state', 'checking']),
  );

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the worker stopped in the middle of a check (Chromium, fake internet)', () => {
  const session = useChromium({
    setUp: async ({ ext }) => {
      const popup = await ext.openPage(POPUP_PATH);
      await popup.waitForSelector('[data-connectivity]:not([data-checking]) [data-service][data-status]');
      return { popup };
    },
  });

  it('the next wake finishes the job: a new check saved, the mark cleared, the badge painted, the popup no longer "checking"', async () => {
    const { internet, ext, popup } = session();
    const before = await storedFrom(popup);
    const checkedBefore = before.state?.checkedAt ?? 0;
    expect(before.checking ?? null).toBeNull();

    // WhatsApp hangs: the check waits on it for up to failureAttempts probe timeouts.
    internet.setHost(WHATSAPP, 'hang');
    await ext.triggerCheck();
    await waitUntil('the running mark', async () => !!(await storedFrom(popup)).checking, 5_000);
    await popup.waitForSelector('[data-connectivity][data-checking]', { timeout: 3_000 });

    // Chrome stops the worker in the middle of it.
    await ext.stopWorker();
    await sleep(500);
    const cut = await storedFrom(popup);
    // Nothing was saved and the mark stays behind, fresh: the popup still says "checking".
    expect(cut.state?.checkedAt).toBe(checkedBefore);
    const since = cut.checking?.since ?? 0;
    expect(Date.now() - since).toBeLessThan(CHECK_STUCK_MS);
    expect(await popup.locator('[data-connectivity]').getAttribute('data-checking')).not.toBeNull();

    // WhatsApp now fails fast, so the verdict of the next check shows on the badge. No alarm is due
    // (the test's one-shot alarm has fired, and the cut-off check never set the next one), and the
    // wake below delivers no event: only the worker's start-up runs.
    internet.setHost(WHATSAPP, 'reset');
    const alarm = await popup.evaluate(
      (name) => (globalThis as unknown as { chrome: PageChrome }).chrome.alarms.get(name),
      CHECK_ALARM,
    );
    const woke = Date.now();
    await ext.startWorker();

    // The start-up found the mark and ran a check at once: saved, and the mark cleared.
    await waitUntil(
      'a new check to be saved and the mark cleared',
      async () => {
        const now = await storedIn(ext);
        return (now.state?.checkedAt ?? 0) > checkedBefore && !now.checking;
      },
      CHECK_TIMEOUT_MS,
    );
    const finishedMs = Date.now() - woke;
    expect(alarm?.scheduledTime ?? Number.POSITIVE_INFINITY, 'no alarm was due').toBeGreaterThan(Date.now());
    expect(finishedMs).toBeLessThan(CHECK_STUCK_MS);
    const after = await storedIn(ext);
    expect(after.state?.checkedAt ?? 0).toBeGreaterThanOrEqual(since);

    // The badge is painted from the new check: WhatsApp down.
    const badge = await ext.waitForBadge((b) => b.text === BADGE_STYLES['primary-down'].text, 3_000);
    expect(badge.color).toBe(BADGE_STYLES['primary-down'].color);
    expect(badge.title).toMatch(/^WhatsApp: down for/);
    // The popup, open all along, follows without a reload: no longer checking, WhatsApp down.
    await popup.waitForSelector('[data-connectivity]:not([data-checking])', { timeout: 3_000 });
    await popup.waitForSelector('[data-service="whatsapp"][data-status="down"]', { timeout: 3_000 });
  });
});

describe('the main app changed during a slow check (Chromium, fake internet)', () => {
  const session = useChromium();

  it("paints the badge for the new main app when the check ends: Telegram first, never WhatsApp's red !", async () => {
    const { internet, ext } = session();
    expect((await ext.badge()).title).toMatch(/^WhatsApp: up/);
    const checkedBefore = (await ext.checkedAt()) ?? 0;

    // WhatsApp answers nothing for a while, then fails: every attempt of the check is slow.
    internet.setHost(WHATSAPP, { hangMs: HANG_MS });
    const started = Date.now();
    await ext.triggerCheck();
    await waitUntil(
      "the check's first attempt at WhatsApp",
      async () => internet.requests.some((r) => r.host === WHATSAPP && r.at >= started),
      5_000,
    );

    // Mid-check, the user makes Telegram the main app on the settings page.
    const options = await ext.openPage(OPTIONS_PATH);
    await options.locator('select[name="primary"]').selectOption('telegram');
    await options.waitForFunction(() =>
      [...document.querySelectorAll('[role="status"]')].some((e) => e.textContent?.includes('Saved')),
    );
    await options.close();
    const switched = await storedIn(ext);
    expect(switched.checking, 'the check still runs after the switch').toBeTruthy();
    expect(switched.state?.checkedAt).toBe(checkedBefore);
    // The new main app is painted at once, from the results there are.
    await ext.waitForBadge((b) => b.title.startsWith('Telegram'), 3_000);

    // Watch the badge until the slow check has been saved and the check the new settings asked for
    // (it follows at once, and fails WhatsApp at its first attempt: it is down already) has been too.
    const seen: Badge[] = [];
    const saved: number[] = [];
    const deadline = Date.now() + CHECK_TIMEOUT_MS;
    while (saved.length < 2) {
      seen.push(await ext.badge());
      const at = (await ext.checkedAt()) ?? 0;
      if (at > (saved.at(-1) ?? checkedBefore)) saved.push(at);
      if (Date.now() > deadline) throw new Error(`${saved.length} of 2 checks saved in time`);
      await sleep(50);
    }
    await sleep(500);
    seen.push(await ext.badge());
    // It was slow: every one of its attempts at WhatsApp waited before failing.
    expect((saved[0] ?? 0) - started).toBeGreaterThan(DEFAULT_THRESHOLDS.failureAttempts * HANG_MS);

    // The check that started with WhatsApp as the main app found WhatsApp down: the badge names
    // Telegram first, amber for another app down, and was never WhatsApp's red "!".
    const badge = await ext.badge();
    expect(badge.title).toMatch(/^Telegram: up · WhatsApp: down/);
    expect(badge).toMatchObject({
      text: BADGE_STYLES['other-down'].text,
      color: BADGE_STYLES['other-down'].color,
    });
    const wrong = seen.filter(
      (b) => b.text === BADGE_STYLES['primary-down'].text || !b.title.startsWith('Telegram'),
    );
    expect(wrong).toEqual([]);
    expect(seen.some((b) => b.text === BADGE_STYLES['other-down'].text)).toBe(true);
  });
});
