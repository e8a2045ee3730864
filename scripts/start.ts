// `npm start` (after `npm run build`): launches Chromium with a throw-away profile and Detour loaded.
// With a display it opens a window; without one it says so, runs headless and prints the live verdicts
// to the terminal until Ctrl-C.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Worker } from 'playwright-core';

const dist = resolve('dist/chrome');
const executablePath = process.env.CHROME_PATH ?? '/usr/lib/chromium/chromium';
if (!existsSync(executablePath)) {
  console.error(
    `Chromium not found at ${executablePath}: install it with "apt-get install -y chromium" or set CHROME_PATH`,
  );
  process.exit(1);
}
const headless = !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
if (headless)
  console.log('No display found: running Chromium headless and printing the verdicts here (Ctrl-C to stop).');

const profile = mkdtempSync(join(tmpdir(), 'detour-profile-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless,
  args: [
    `--disable-extensions-except=${dist}`,
    `--load-extension=${dist}`,
    '--no-first-run',
    '--disable-sync',
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
  ],
});
const worker: Worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
console.log(`Detour loaded: chrome-extension://${new URL(worker.url()).host}/`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await context.close().catch(() => undefined);
  rmSync(profile, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
context.on('close', stop);

interface ChromeLike {
  action: { getBadgeText(d: object): Promise<string>; getTitle(d: object): Promise<string> };
}
let last = '';
while (!stopping) {
  const line = await worker
    .evaluate(async () => {
      const { chrome } = globalThis as unknown as { chrome: ChromeLike };
      const [text, title] = await Promise.all([chrome.action.getBadgeText({}), chrome.action.getTitle({})]);
      return `[${text || ' '}] ${title}`;
    })
    .catch(() => null);
  if (line && line !== last) {
    console.log(`${new Date().toLocaleTimeString()}  ${line}`);
    last = line;
  }
  await new Promise((r) => setTimeout(r, 2000));
}
