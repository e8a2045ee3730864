// `npm start` (after `npm run build`): starts the local feed server (port 8787, or a free port when that
// one is taken; database ./data/feed.sqlite), launches Chromium with a throw-away profile and Detour
// loaded, and points Detour's crowd-report feed at that server. With a display it opens a window;
// without one it says so, runs headless and prints the live verdicts here. Ctrl-C (or closing the
// window) closes Chromium, stops the feed server (requests in flight are answered, pending reports
// committed) and removes the profile.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Worker } from 'playwright-core';
import { errorText, type Logger } from '../server/log';
import { DEFAULTS, type RunningServer, startServer } from '../server/server';
import { SERVICE_IDS, type ServiceId } from '../src/core/services';
import { readSettings } from '../src/core/settings';
import { applySettingsPatch, feedDocumentUrl, validateSettingsPatch } from '../src/core/settings-edit';

const DIST = resolve('dist/chrome');
const DB = './data/feed.sqlite';
/** storage.local key of the settings object (KEYS.settings in src/platform/storage.ts). */
const SETTINGS_KEY = 'settings';
/** The check alarm's name (CHECK_ALARM in src/platform/alarms.ts). */
const CHECK_ALARM = 'detour-check';

const executablePath = process.env.CHROME_PATH ?? '/usr/lib/chromium/chromium';
if (!existsSync(executablePath)) {
  console.error(
    `Chromium not found at ${executablePath}: install it with "apt-get install -y chromium" or set CHROME_PATH`,
  );
  process.exit(1);
}
if (!existsSync(join(DIST, 'manifest.json'))) {
  console.error('dist/chrome is missing: run "npm run build" first');
  process.exit(1);
}

/** The server's events, one short line each: warnings, errors, and the once-a-minute stats. */
const feedLog: Logger = (event, fields = {}, level = 'info') => {
  if (level === 'info' && event !== 'stats' && event !== 'stopped') return;
  const details = Object.entries(fields)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  console.log(`${clock()}  feed server: ${event}${details ? ` (${details})` : ''}`);
};

const clock = () => new Date().toLocaleTimeString();

/** Listens on 8787 like `npm run feed`, or on a free port when 8787 is taken (another feed, another start). */
async function startFeed(): Promise<RunningServer> {
  const options = { host: '127.0.0.1', db: DB, log: feedLog } as const;
  try {
    return await startServer({ ...options, port: DEFAULTS.port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    console.log(`Port ${DEFAULTS.port} is in use: the feed server takes a free port instead.`);
    return startServer({ ...options, port: 0 });
  }
}

/** The part of the `chrome` global used in the service worker (the project has no @types/chrome). */
interface ChromeLike {
  action: { getBadgeText(d: object): Promise<string>; getTitle(d: object): Promise<string> };
  alarms: { create(name: string, info: { when: number }): Promise<void> };
  storage: {
    local: {
      get(key: string): Promise<Record<string, unknown>>;
      set(items: Record<string, unknown>): Promise<void>;
    };
  };
}

/**
 * Points Detour at the feed: the stored settings are read, patched and validated with the extension's
 * own code (src/core/settings.ts) and written back in its format. Then, once the install check (which
 * may have started before the feed was set) is saved, a check is run at once to read the feed.
 */
async function pointAtFeed(worker: Worker, feedUrl: string): Promise<void> {
  const problems = validateSettingsPatch({ feedUrl });
  if (Object.keys(problems).length > 0) throw new Error(`feed URL refused: ${problems.feedUrl}`);
  const stored = await worker.evaluate(async (key) => {
    const { chrome } = globalThis as unknown as { chrome: ChromeLike };
    return (await chrome.storage.local.get(key))[key] ?? null;
  }, SETTINGS_KEY);
  const settings = applySettingsPatch(readSettings(stored).settings, { feedUrl });
  const check = readSettings(settings);
  if (check.repaired.length > 0 || check.settings.feedUrl !== feedUrl) {
    throw new Error(`the settings did not validate (${check.repaired.join(', ') || 'feedUrl'})`);
  }
  await worker.evaluate(
    async ([key, value]) => {
      const { chrome } = globalThis as unknown as { chrome: ChromeLike };
      await chrome.storage.local.set({ [key]: value });
    },
    [SETTINGS_KEY, settings] as const,
  );
  const deadline = Date.now() + 60_000;
  while (!stopping && Date.now() < deadline) {
    const checked = await worker.evaluate(async () => {
      const { chrome } = globalThis as unknown as { chrome: ChromeLike };
      const { state } = await chrome.storage.local.get('state');
      return typeof (state as { checkedAt?: unknown } | undefined)?.checkedAt === 'number';
    });
    if (checked) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  // A one-off alarm fires the check now; each check schedules the next one itself.
  await worker.evaluate(async (alarm) => {
    const { chrome } = globalThis as unknown as { chrome: ChromeLike };
    await chrome.alarms.create(alarm, { when: Date.now() + 50 });
  }, CHECK_ALARM);
}

/** One line for the badge and its title, one for the crowd feed as Detour last read it. */
async function readStatus(worker: Worker): Promise<{ verdict: string; crowd: string }> {
  const raw = await worker.evaluate(async () => {
    const { chrome } = globalThis as unknown as { chrome: ChromeLike };
    const [text, title, stored] = await Promise.all([
      chrome.action.getBadgeText({}),
      chrome.action.getTitle({}),
      chrome.storage.local.get('crowd'),
    ]);
    return { text, title, crowd: stored.crowd ?? null };
  });
  return { verdict: `[${raw.text || ' '}] ${raw.title}`, crowd: describeCrowd(raw.crowd) };
}

function describeCrowd(raw: unknown): string {
  if (typeof raw !== 'object' || raw === null) return 'crowd feed: not read yet';
  const cache = raw as { url?: unknown; feed?: unknown; problem?: unknown };
  const at = typeof cache.url === 'string' ? ` (${cache.url})` : '';
  if (typeof cache.feed !== 'object' || cache.feed === null) {
    return `crowd feed: could not be read${at}: ${typeof cache.problem === 'string' ? cache.problem : 'unknown problem'}`;
  }
  const services = (cache.feed as { services?: unknown }).services;
  const listed = typeof services === 'object' && services !== null ? services : {};
  const parts: string[] = [];
  for (const id of SERVICE_IDS) {
    const s = (listed as Partial<Record<ServiceId, { level?: unknown; recent?: unknown }>>)[id];
    if (!s) continue;
    parts.push(`${id} ${String(s.level)} (${Number(s.recent)} in the last 15 min)`);
  }
  return `crowd feed: ${parts.length > 0 ? parts.join(' · ') : 'no reports in the last 24 h'}`;
}

const headless = !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
let server: RunningServer | null = null;
let context: BrowserContext | null = null;
let profile: string | null = null;
let stopping = false;

const stop = async (code = 0): Promise<void> => {
  if (stopping) return;
  stopping = true;
  console.log('Stopping: closing Chromium, then the feed server.');
  await context?.close().catch(() => undefined);
  if (profile) rmSync(profile, { recursive: true, force: true });
  await server?.close().catch((error: unknown) => {
    console.error(`The feed server did not stop cleanly: ${errorText(error)}`);
    code = 1;
  });
  process.exit(code);
};
// Ctrl-C reaches npm and this process alike; npm may forward it again: `stopping` makes it one stop.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop());

try {
  server = await startFeed();
  const feedUrl = `http://localhost:${server.port}`;
  console.log(`Feed server: ${feedUrl}  (database ${DB}; feed document ${feedDocumentUrl(feedUrl)})`);

  if (headless) {
    console.log(
      'No display found: running Chromium headless and printing the verdicts here (Ctrl-C to stop).',
    );
  }
  profile = mkdtempSync(join(tmpdir(), 'detour-profile-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless,
    // Playwright's own handlers would kill Chromium and exit at once, leaving the profile and the feed behind.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: [
      `--disable-extensions-except=${DIST}`,
      `--load-extension=${DIST}`,
      '--no-first-run',
      '--disable-sync',
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ],
  });
  context.on('close', () => void stop());
  const worker: Worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  console.log(`Detour loaded: chrome-extension://${extensionId}/ (popup: src/popup/index.html)`);
  await pointAtFeed(worker, feedUrl);
  console.log(`Detour reads its crowd reports from ${feedUrl} and sends "Report a problem" there.`);
  if (!headless) console.log('Close the Chromium window or press Ctrl-C to stop.');

  let last = { verdict: '', crowd: '' };
  while (!stopping) {
    const status = await readStatus(worker).catch(() => null);
    if (status && status.verdict !== last.verdict) console.log(`${clock()}  ${status.verdict}`);
    if (status && status.crowd !== last.crowd) console.log(`${clock()}  ${status.crowd}`);
    if (status) last = status;
    await new Promise((r) => setTimeout(r, 2000));
  }
} catch (error) {
  if (!stopping) {
    console.error(`npm start failed: ${errorText(error)}`);
    await stop(1);
  }
}
