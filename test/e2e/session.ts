/**
 * One browser per test file or describe block, set up once in Vitest's beforeAll and closed in its
 * afterAll. useChromium() is what every Chromium file starts with: the fake internet, Detour's build
 * in headless Chromium (extension.ts), the install check waited for, and the file's own set-up on top.
 *
 * A start-up failure (no browser, no build, a port taken, a set-up step that timed out) is kept and
 * thrown by every test that asks for the session, with its own message: the tests fail, they are never
 * skipped.
 */
import { afterAll, beforeAll } from 'vitest';
import {
  type LaunchedExtension,
  type LaunchOptions,
  launchExtension,
  waitForInstallCheck,
} from './extension';
import { type FakeInternet, startFakeInternet } from './fake-internet';

/** Registers something to close after the tests; closed in reverse order, the last opened first. */
export type OnClose = (close: () => unknown) => void;

/**
 * Runs `start` once before the tests of the enclosing block (or file), and what it registered with
 * `onClose` after them, even when `start` failed half-way. Returns the accessor the tests call: it
 * gives what `start` returned, or throws the error that stopped it.
 */
export function useSession<T>(
  what: string,
  start: (onClose: OnClose) => Promise<T>,
  timeoutMs?: number,
): () => T {
  let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  const closers: (() => unknown)[] = [];

  beforeAll(async () => {
    try {
      outcome = { ok: true, value: await start((close) => closers.push(close)) };
    } catch (error) {
      outcome = { ok: false, error };
    }
  }, timeoutMs);

  afterAll(async () => {
    const errors: unknown[] = [];
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
  }, timeoutMs);

  return () => {
    if (!outcome) throw new Error(`${what} did not start (see beforeAll)`);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  };
}

/** Chromium with Detour, and the fake internet every host name it resolves is sent to. */
export interface ChromiumSession {
  readonly internet: FakeInternet;
  readonly ext: LaunchedExtension;
}

export interface ChromiumOptions<T> extends Omit<LaunchOptions, 'internet'> {
  /** Before Chromium starts: routes and host modes the install check should already meet. */
  readonly beforeLaunch?: (internet: FakeInternet) => void;
  /**
   * After the install check: the file's own set-up (open a page, start a feed server, change a
   * setting). What it returns joins the session; what it registers with `onClose` is closed before
   * the browser.
   */
  readonly setUp?: (session: ChromiumSession, onClose: OnClose) => Promise<T>;
}

/**
 * Starts the fake internet and Chromium with the built extension (dist/chrome), waits until the check
 * Detour runs at install is saved and painted, then runs `setUp`.
 */
export function useChromium<T extends object = Record<never, never>>(
  options: ChromiumOptions<T> = {},
): () => ChromiumSession & T {
  const { beforeLaunch, setUp, ...launch } = options;
  return useSession('the browser', async (onClose) => {
    const internet = await startFakeInternet();
    onClose(() => internet.close());
    beforeLaunch?.(internet);
    const ext = await launchExtension({ ...launch, internet });
    onClose(() => ext.close());
    await waitForInstallCheck(ext);
    const session: ChromiumSession = { internet, ext };
    const more = setUp ? await setUp(session, onClose) : undefined;
    return { ...(more as T), ...session };
  });
}
