// The toolbar badge end to end: the built extension in headless Chromium, probing a fake internet.
// One browser for the whole file; the scenarios run in order and each one builds on the state the
// previous one left (up → down needs thresholds.failureAttempts failed attempts within the check,
// down → up needs thresholds.successAttempts successful ones).
import { describe, expect, it } from 'vitest';
import { BADGE_STYLES } from '../../src/core/badge';
import { DEFAULT_THRESHOLDS } from '../../src/core/thresholds';
import { type Badge, CHECK_TIMEOUT_MS, POPUP_PATH } from './extension';
import { useChromium } from './session';

const WHATSAPP = 'web.whatsapp.com';
const TELEGRAM = 'web.telegram.org';
/** The first connectivity control: every check requests it exactly once while it answers. */
const CONTROL = 'www.gstatic.com';

const T = DEFAULT_THRESHOLDS;

const launched = useChromium();

const isQuiet = (b: Badge) => b.text === BADGE_STYLES.quiet.text;
const is = (kind: 'primary-down' | 'other-down' | 'offline') => (b: Badge) =>
  b.text === BADGE_STYLES[kind].text && b.color === BADGE_STYLES[kind].color;

/** Fires one check, waits until it has been saved, then until the badge matches. */
async function checkOnce(predicate: (b: Badge) => boolean, timeoutMs: number): Promise<Badge> {
  const { ext } = launched();
  const started = Date.now();
  await ext.runCheck(timeoutMs);
  return ext.waitForBadge(predicate, Math.max(1_000, timeoutMs - (Date.now() - started)));
}

/**
 * Runs checks one at a time until the badge matches right after one of them; returns how many it
 * took (max + 1 when none did). A badge set by an earlier check never counts for a later one.
 */
async function checksUntil(predicate: (b: Badge) => boolean, max: number): Promise<number> {
  const { ext } = launched();
  for (let n = 1; n <= max; n++) {
    await ext.runCheck(CHECK_TIMEOUT_MS);
    // The badge is drawn right after the check is saved.
    const matched = await ext.waitForBadge(predicate, 3_000).then(
      () => true,
      () => false,
    );
    if (matched) return n;
  }
  return max + 1;
}

function requestsTo(host: string, since: number): number[] {
  return launched()
    .internet.requests.filter((r) => r.host === host && r.at >= since)
    .map((r) => r.at);
}

/**
 * Probe attempts seen by the fake internet. Chromium silently retries a request whose reused
 * keep-alive connection was reset, so one attempt may arrive as two requests a few ms apart; the
 * probe's own attempts are retryDelayMs (1 s) apart.
 */
function attemptsTo(host: string, since: number): number {
  const times = requestsTo(host, since);
  return times.filter((at, i) => i === 0 || at - (times[i - 1] ?? 0) > T.retryDelayMs / 2).length;
}

describe('toolbar badge (Chromium, fake internet)', () => {
  it('is quiet when everything is up, and the title names WhatsApp first', async () => {
    const { internet } = launched();
    internet.reset();
    const badge = await checkOnce(isQuiet, CHECK_TIMEOUT_MS);
    expect(badge.text).toBe('');
    expect(badge.title).toMatch(/^WhatsApp/);
    expect(badge.title).toContain('up');
  });

  it(`turns red within one check when WhatsApp fails (confirmed by ${T.failureAttempts} attempts)`, async () => {
    const { internet, ext } = launched();
    const since = Date.now();
    internet.setHost(WHATSAPP, 'reset');
    const badge = await checkOnce(is('primary-down'), CHECK_TIMEOUT_MS);
    expect(badge).toMatchObject({ text: '!', color: '#C5221F' });
    expect(badge.title).toContain('WhatsApp: down for');
    // A single check (the control was asked once) confirmed the failure with its own attempts.
    expect(requestsTo(CONTROL, since)).toHaveLength(1);
    expect(attemptsTo(WHATSAPP, since)).toBe(T.failureAttempts);
    expect(requestsTo(WHATSAPP, since).length).toBeGreaterThanOrEqual(T.failureAttempts);
    // Telegram answered as expected: one attempt, nothing to confirm.
    expect(requestsTo(TELEGRAM, since)).toHaveLength(1);
    expect((await ext.badge()).text).toBe('!');
  });

  it(`is quiet again after one check once WhatsApp answers (${T.successAttempts} attempts)`, async () => {
    const { internet } = launched();
    const since = Date.now();
    internet.reset();
    const badge = await checkOnce(isQuiet, CHECK_TIMEOUT_MS);
    expect(badge.title).toMatch(/^WhatsApp: up/);
    expect(requestsTo(CONTROL, since)).toHaveLength(1);
    expect(attemptsTo(WHATSAPP, since)).toBe(T.successAttempts);
  });

  it('shows offline (grey ×) when the controls fail too', async () => {
    const { internet } = launched();
    internet.setDefault('reset');
    const badge = await checkOnce(is('offline'), CHECK_TIMEOUT_MS);
    expect(badge).toMatchObject({ text: '×', color: BADGE_STYLES.offline.color });
    expect(badge.title.toLowerCase()).toContain('offline');
    expect(badge.title).toContain('WhatsApp');
  });

  it('is quiet again when the connection is back', async () => {
    const { internet } = launched();
    internet.reset();
    const badge = await checkOnce(isQuiet, CHECK_TIMEOUT_MS);
    expect(badge.title).toMatch(/^WhatsApp: up/);
  });

  it('turns amber (•) when another watched service hangs', async () => {
    const { internet } = launched();
    internet.setHost(TELEGRAM, 'hang');
    // failureAttempts × 4 s timeout + a 1 s pause between them
    const badge = await checkOnce(is('other-down'), CHECK_TIMEOUT_MS);
    expect(badge).toMatchObject({ text: '•', color: BADGE_STYLES['other-down'].color });
    expect(badge.title).toMatch(/^WhatsApp: up/);
    expect(badge.title).toContain('Telegram: down for');
    internet.reset();
  });

  it('turns red at the first check of a second outage after a short recovery, as for the first (flapping is a tag)', async () => {
    const { internet, ext } = launched();
    internet.reset();
    // Up long enough that the flap window holds nothing from the scenarios above.
    for (let i = 0; i < T.flapWindow; i++) await checkOnce(isQuiet, CHECK_TIMEOUT_MS);
    // Down for three checks, red at the first…
    internet.setHost(WHATSAPP, 'reset');
    expect(await checksUntil(is('primary-down'), 1)).toBe(1);
    for (let i = 0; i < 2; i++) await checkOnce(is('primary-down'), CHECK_TIMEOUT_MS);
    // …a fix that does not hold: up for two checks…
    internet.reset();
    for (let i = 0; i < 2; i++) await checkOnce(isQuiet, CHECK_TIMEOUT_MS);
    // …then down for good. Three changes in the flap window make WhatsApp unstable: still red at once.
    internet.setHost(WHATSAPP, 'reset');
    expect(await checksUntil(is('primary-down'), 6)).toBe(1);
    const badge = await ext.badge();
    expect(badge).toMatchObject({ text: '!', color: BADGE_STYLES['primary-down'].color });
    expect(badge.title).toContain('WhatsApp: down for');

    // The popup shows the real state with "unstable" as a tag on the row.
    const popup = await ext.openPage(POPUP_PATH);
    try {
      const row = popup.locator('[data-service="whatsapp"][data-status]');
      await row.locator('.tag-unstable').waitFor({ timeout: 5_000 });
      expect(await row.getAttribute('data-status')).toBe('down');
      expect(await row.getAttribute('data-unstable')).toBe('');
      expect(await row.locator('.tag-unstable').textContent()).toBe('unstable');
    } finally {
      await popup.close();
    }
    // It stays red while it stays down.
    expect(await checksUntil(is('primary-down'), 1)).toBe(1);
    internet.reset();
  }, 150_000);
});
