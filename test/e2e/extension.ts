/**
 * Launches Debian's Chromium with the built extension (dist/chrome) against a fake internet, and
 * reads the toolbar badge from the extension's service worker.
 *
 * Every host name and port is sent to the fake internet's single port (--host-resolver-rules), and
 * its self-signed certificate is accepted (--ignore-certificate-errors). See docs/testing-browsers.md.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, type CDPSession, chromium, type Page, type Worker } from 'playwright-core';
import { BADGE_STYLES } from '../../src/core/badge';
import { DEFAULT_THRESHOLDS } from '../../src/core/thresholds';
import type { FakeInternet } from './fake-internet';

export const DEFAULT_CHROMIUM = '/usr/lib/chromium/chromium';
export const CHECK_ALARM = 'detour-check';
/** The first-run page Detour opens in a tab when it is installed. */
export const WELCOME_PATH = 'src/welcome/index.html';
export const POPUP_PATH = 'src/popup/index.html';
export const OPTIONS_PATH = 'src/options/index.html';

const T = DEFAULT_THRESHOLDS;
/** The longest one check can take (every attempt of one probe runs into the timeout), plus slack. */
export const CHECK_TIMEOUT_MS =
  T.failureAttempts * T.timeoutMs + (T.failureAttempts - 1) * T.retryDelayMs + 8_000;

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
export const DIST_CHROME = join(ROOT, 'dist/chrome');

export interface Badge {
  text: string;
  /** '#RRGGBB' */
  color: string;
  title: string;
}

export interface LaunchedExtension {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  badge(): Promise<Badge>;
  /** Fires the check alarm at once (an unpacked build may set an alarm in the past). */
  triggerCheck(): Promise<void>;
  /** When the last completed check was saved (storage.local "state".checkedAt), or null. */
  checkedAt(): Promise<number | null>;
  /**
   * Fires one check and waits until it has been saved (a new checkedAt): a still-running check never
   * leaks into the next scenario.
   */
  runCheck(timeoutMs?: number): Promise<void>;
  /** The page the toolbar button opens now, as a full URL: the popup, with the seed the background
   * keeps in its query. */
  popupUrl(): Promise<string>;
  /** Opens one of the extension's pages (e.g. POPUP_PATH) in a new tab. */
  openPage(path: string): Promise<Page>;
  waitForBadge(predicate: (badge: Badge) => boolean, timeoutMs: number): Promise<Badge>;
  /**
   * Stops the service worker at once, whatever it is doing, as Chrome stops an idle one after ~30 s
   * (DevTools protocol: ServiceWorker.stopAllWorkers), and waits until it has stopped. Until something
   * wakes it again, `worker.evaluate` (and the helpers built on it) wait.
   */
  stopWorker(): Promise<void>;
  /**
   * Starts the stopped service worker without any event (ServiceWorker.startWorker): only its
   * start-up code runs. Resolves once it runs; `worker` then works again.
   */
  startWorker(): Promise<void>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  internet: FakeInternet;
  dir?: string;
  /** Extra environment variables for the browser (merged over process.env), e.g. LANG / LANGUAGE. */
  env?: Record<string, string>;
  /** Extra command-line switches, appended after the default ones (e.g. --lang=ar). */
  args?: string[];
  /** Pixel ratio of pages (2 for sharp README screenshots). */
  deviceScaleFactor?: number;
  /**
   * Leave open the welcome tab Detour opens at install. By default the launcher closes it, so every
   * scenario starts with no page of Detour's open.
   */
  keepWelcome?: boolean;
}

/** The part of the `chrome` global these helpers use (the project has no @types/chrome). */
interface ChromeLike {
  action: {
    getBadgeText(details: Record<string, never>): Promise<string>;
    getBadgeBackgroundColor(details: Record<string, never>): Promise<number[]>;
    getTitle(details: Record<string, never>): Promise<string>;
    getPopup(details: Record<string, never>): Promise<string>;
  };
  alarms: {
    create(name: string, info: { when: number }): Promise<void>;
  };
  storage: {
    local: { get(key: string): Promise<Record<string, unknown>> };
  };
}

/** The Chromium binary, or an Error whose one-line message says how to get it. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROME_PATH, DEFAULT_CHROMIUM].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error('Chromium not found: install it with "apt-get install -y chromium" (or set CHROME_PATH)');
  }
  return found;
}

function toHex(rgba: readonly number[]): string {
  return `#${rgba
    .slice(0, 3)
    .map((n) => n.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase()}`;
}

export async function launchExtension(opts: LaunchOptions): Promise<LaunchedExtension> {
  const executablePath = chromiumPath();
  const dist = resolve(opts.dir ?? DIST_CHROME);
  if (!existsSync(join(dist, 'manifest.json'))) {
    throw new Error('dist/chrome is missing: run "npm run build" first');
  }
  const profile = await mkdtemp(join(tmpdir(), 'detour-e2e-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-sync',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-quic',
        `--disable-extensions-except=${dist}`,
        `--load-extension=${dist}`,
        `--host-resolver-rules=MAP * 127.0.0.1:${opts.internet.port}, EXCLUDE localhost, EXCLUDE 127.0.0.1`,
        '--ignore-certificate-errors',
        ...(opts.args ?? []),
      ],
      ...(opts.env ? { env: { ...process.env, ...opts.env } } : {}),
      ...(opts.deviceScaleFactor ? { deviceScaleFactor: opts.deviceScaleFactor } : {}),
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }

  const close = async () => {
    await context.close().catch(() => undefined);
    await rm(profile, { recursive: true, force: true });
  };

  let worker: Worker;
  try {
    worker =
      context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  } catch (error) {
    await close();
    throw error;
  }
  const extensionId = new URL(worker.url()).host;
  if (!opts.keepWelcome) {
    const welcome = await findPage(context, WELCOME_PATH, 10_000).catch(() => null);
    await welcome?.close();
  }

  const badge = async (): Promise<Badge> => {
    const raw = await worker.evaluate(async () => {
      const { chrome } = globalThis as unknown as { chrome: ChromeLike };
      return {
        text: await chrome.action.getBadgeText({}),
        color: await chrome.action.getBadgeBackgroundColor({}),
        title: await chrome.action.getTitle({}),
      };
    });
    return { text: raw.text, color: toHex(raw.color), title: raw.title };
  };

  const popupUrl = async (): Promise<string> => {
    const url = await worker.evaluate(() =>
      (globalThis as unknown as { chrome: ChromeLike }).chrome.action.getPopup({}),
    );
    return new URL(url, `chrome-extension://${extensionId}/`).href;
  };

  const triggerCheck = async (): Promise<void> => {
    await worker.evaluate(async (name) => {
      const { chrome } = globalThis as unknown as { chrome: ChromeLike };
      await chrome.alarms.create(name, { when: Date.now() + 50 });
    }, CHECK_ALARM);
  };

  const checkedAt = async (): Promise<number | null> =>
    worker.evaluate(async () => {
      const { chrome } = globalThis as unknown as { chrome: ChromeLike };
      const { state } = await chrome.storage.local.get('state');
      const at = (state as { checkedAt?: unknown } | undefined)?.checkedAt;
      return typeof at === 'number' ? at : null;
    });

  const waitForBadge = async (predicate: (badge: Badge) => boolean, timeoutMs: number): Promise<Badge> => {
    const deadline = Date.now() + timeoutMs;
    let last: Badge | undefined;
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    for (;;) {
      last = await badge();
      if (predicate(last)) {
        // The painter sets the text, the colour, then the title: a match caught between them is
        // answered only once a second read, a moment later, sees the same badge.
        await pause(100);
        const again = await badge();
        if (JSON.stringify(again) === JSON.stringify(last) || Date.now() >= deadline) return last;
        continue;
      }
      if (Date.now() >= deadline) break;
      await pause(200);
    }
    throw new Error(`badge did not match within ${timeoutMs} ms; last seen: ${JSON.stringify(last)}`);
  };

  const runCheck = async (timeoutMs = CHECK_TIMEOUT_MS): Promise<void> => {
    const before = await checkedAt();
    await triggerCheck();
    await waitUntil(
      'a new check to be saved',
      async () => {
        const at = await checkedAt();
        return at !== null && at !== before;
      },
      timeoutMs,
    );
  };

  const openPage = async (path: string): Promise<Page> => {
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/${path}`);
    return page;
  };

  /** Runs `send` on a DevTools session with the ServiceWorker domain on, until the extension's worker reaches `status`. */
  const drivingWorker = async (
    status: 'running' | 'stopped',
    send: (cdp: CDPSession) => Promise<unknown>,
  ): Promise<void> => {
    // Any page will do: the domain sees the workers of the whole profile.
    const page = await context.newPage();
    try {
      const cdp = await context.newCDPSession(page);
      const reached = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`the service worker was not ${status} within 10 s`)),
          10_000,
        );
        cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
          const ours = versions.some(
            (v) => v.scriptURL.startsWith(`chrome-extension://${extensionId}/`) && v.runningStatus === status,
          );
          if (ours) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      reached.catch(() => undefined);
      await cdp.send('ServiceWorker.enable');
      await send(cdp);
      await reached;
      await cdp.detach();
    } finally {
      await page.close();
    }
  };

  const stopWorker = () => drivingWorker('stopped', (cdp) => cdp.send('ServiceWorker.stopAllWorkers'));
  const startWorker = () =>
    drivingWorker('running', (cdp) =>
      cdp.send('ServiceWorker.startWorker', { scopeURL: `chrome-extension://${extensionId}/` }),
    );

  return {
    context,
    worker,
    extensionId,
    badge,
    popupUrl,
    triggerCheck,
    checkedAt,
    runCheck,
    openPage,
    waitForBadge,
    stopWorker,
    startWorker,
    close,
  };
}

/** Polls `done` every 100 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  done: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Detour checks at install: waits until that check is saved and its verdict replaced the "not checked" badge. */
export async function waitForInstallCheck(ext: LaunchedExtension): Promise<void> {
  await waitUntil(
    'the install check to be saved',
    async () => (await ext.checkedAt()) !== null,
    CHECK_TIMEOUT_MS,
  );
  await ext.waitForBadge((b) => b.text !== BADGE_STYLES.stale.text, 5_000);
}

/** Waits for a tab showing one of the extension's pages (e.g. one the extension opened itself). */
export async function findPage(context: BrowserContext, path: string, timeoutMs: number): Promise<Page> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const page = context.pages().find((p) => new URL(p.url()).pathname === `/${path}`);
    if (page) return page;
    if (Date.now() > deadline) throw new Error(`no tab showing ${path} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What storage.local holds under `key`, read in the background (undefined when nothing is). */
export function storedValue<T>(ext: LaunchedExtension, key: string): Promise<T | undefined> {
  return ext.worker.evaluate(async (k) => {
    const { chrome } = globalThis as unknown as { chrome: ChromeLike };
    return (await chrome.storage.local.get(k))[k];
  }, key) as Promise<T | undefined>;
}
