// The popup's weight and how fast it shows a real status, measured on the built extension in
// Debian's Chromium against the fake internet of the end-to-end tests (everything up).
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BrowserContext } from 'playwright-core';
import {
  DIST_CHROME,
  type LaunchedExtension,
  launchExtension,
  waitForInstallCheck,
} from '../test/e2e/extension';
import { type FakeInternet, startFakeInternet } from '../test/e2e/fake-internet';

export interface PaintTimes {
  /** Median ms from navigation start to the frame that paints the first row with a real status. */
  readonly popupMs: number;
  /** Median ms from navigation start to the first frame of a bare page of the same build (the floor). */
  readonly bareMs: number;
  /** The same as popupMs for the popup opened without its seed (a feed set, a test opening the page). */
  readonly unseededMs: number;
}

export interface PopupBench {
  /** gzip bytes of the popup's own JS and CSS: its HTML's scripts and links, and their static imports. */
  popupGzipBytes: number;
  /** The service worker running when the page opens. */
  warm: PaintTimes;
  /** The service worker stopped before every open (DevTools' ServiceWorker.stopAllWorkers), as after
   * Chrome stops an idle worker (~30 s). */
  cold: PaintTimes;
  /** Measured opens of each page in each case (a warm-up open of each is not counted). */
  opens: number;
}

const POPUP_HTML = 'src/popup/index.html';
/**
 * The baseline: a bare page of the same build, added to a copy of dist/chrome for the bench only
 * (nothing is shipped for it): the popup's head, and one module script that writes a line, as every
 * extension page's script is a module. What the popup takes beyond it is its own: its bytes, its
 * storage read and its rendering.
 */
const BARE_PAGE = 'bench-bare.html';
const BARE_SCRIPT = 'bench-bare.js';
const BARE_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="color-scheme" content="light dark" />
    <title>Detour</title>
    <script type="module" src="/${BARE_SCRIPT}"></script>
  </head>
  <body></body>
</html>
`;
const BARE_JS =
  "document.body.append(Object.assign(document.createElement('p'), { textContent: 'Detour' }));\n";

/** A copy of the built extension with the bare page added. */
function buildWithBarePage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'detour-bench-popup-'));
  cpSync(DIST_CHROME, dir, { recursive: true });
  writeFileSync(join(dir, BARE_PAGE), BARE_HTML);
  writeFileSync(join(dir, BARE_SCRIPT), BARE_JS);
  return dir;
}

/** Every file the popup page loads by itself (not dynamic imports), as paths inside dist. */
export function popupFiles(dist = DIST_CHROME): string[] {
  const htmlPath = join(dist, POPUP_HTML);
  if (!existsSync(htmlPath)) throw new Error('dist/chrome is missing: run "npm run build" first');
  const html = readFileSync(htmlPath, 'utf8');
  const toFile = (ref: string, from: string) =>
    ref.startsWith('/') ? join(dist, ref) : resolve(dirname(from), ref.split(/[?#]/)[0] ?? ref);
  const queue: string[] = [];
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g))
    if (m[1]) queue.push(toFile(m[1], htmlPath));
  for (const m of html.matchAll(/<link\b[^>]*\bhref="([^"]+)"/g))
    if (m[1]) queue.push(toFile(m[1], htmlPath));
  return staticClosure(queue, dist);
}

/** Files reachable from `entries` by static imports (never `import(`), as paths inside dist. */
export function staticClosure(entries: readonly string[], dist = DIST_CHROME): string[] {
  const queue = [...entries];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!file.endsWith('.js')) continue;
    // Static imports of other chunks, minified: `from"./x.js"` or `import"./x.js"`.
    const code = readFileSync(file, 'utf8');
    for (const m of code.matchAll(/(?:\bfrom|\bimport)\s*["'](\.{1,2}\/[^"']+\.js)["']/g)) {
      if (m[1]) queue.push(resolve(dirname(file), m[1]));
    }
  }
  return [...seen].map((f) => relative(dist, f));
}

export function popupGzipBytes(dist = DIST_CHROME): number {
  return popupFiles(dist).reduce((sum, f) => sum + gzipSync(readFileSync(join(dist, f))).length, 0);
}

/** What the init script leaves on the page's window. */
interface PaintMark {
  __detourPaint?: number;
}

/**
 * Runs in every new document before its own scripts. 'popup': a MutationObserver waits for the first
 * `[data-service][data-status]` row whose status is not 'unknown', then one requestAnimationFrame (the
 * frame that paints it) records performance.now(), which counts from navigation start. 'empty': the
 * first requestAnimationFrame once the document is parsed.
 *
 * Plain JavaScript in a string: a function passed to addInitScript would be serialized after tsx's
 * transform, which may wrap inner functions in a helper (`__name`) that the page does not have.
 */
const markFirstPaint = (mode: 'popup' | 'empty') => `(() => {
  const mode = ${JSON.stringify(mode)};
  const record = () => requestAnimationFrame(() => {
    if (window.__detourPaint === undefined) window.__detourPaint = performance.now();
  });
  if (mode === 'empty') {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', record, { once: true });
    else record();
    return;
  }
  const selector = '[data-service][data-status]:not([data-status="unknown"])';
  const observer = new MutationObserver(() => {
    if (!document.querySelector(selector)) return;
    observer.disconnect();
    record();
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-status'] });
})();`;

async function timeOpen(context: BrowserContext, url: string, mode: 'popup' | 'empty'): Promise<number> {
  const page = await context.newPage();
  try {
    await page.addInitScript({ content: markFirstPaint(mode) });
    await page.goto(url);
    await page.waitForFunction(
      () => (window as unknown as PaintMark).__detourPaint !== undefined,
      undefined,
      {
        timeout: 15_000,
      },
    );
    return await page.evaluate(() => (window as unknown as PaintMark).__detourPaint as number);
  } finally {
    await page.close();
  }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/**
 * Opens the popup, the popup without its seed and the bare page in turn, `opens` times each after a
 * warm-up of each, so all see the same machine load, in an order that rotates every round; before each
 * open the worker is woken (warm) or stopped (cold).
 */
async function paintTimes(
  ext: LaunchedExtension,
  opens: number,
  worker: 'warm' | 'cold',
): Promise<PaintTimes> {
  const base = `chrome-extension://${ext.extensionId}/`;
  const prepare = async () => {
    if (worker === 'cold') await ext.stopWorker();
    else await ext.worker.evaluate(() => 0); // runs (and keeps running) the worker
  };
  const popup: number[] = [];
  const unseeded: number[] = [];
  const bare: number[] = [];
  for (let i = -1; i < opens; i++) {
    // The popup as the toolbar button opens it: the page the background set, with its seed (asked of
    // the worker, so a stopped one is started first and stopped again by prepare).
    if (worker === 'cold') await ext.startWorker();
    const url = await ext.popupUrl();
    const pages = [
      { url, mode: 'popup', times: popup },
      { url: base + POPUP_HTML, mode: 'popup', times: unseeded },
      { url: base + BARE_PAGE, mode: 'empty', times: bare },
    ] as const;
    // In turn, starting one page later each round: no page always opens right after the same one.
    for (let k = 0; k < pages.length; k++) {
      const page = pages[(k + i + pages.length) % pages.length] as (typeof pages)[number];
      await prepare();
      const ms = await timeOpen(ext.context, page.url, page.mode);
      if (i >= 0) page.times.push(ms);
    }
  }
  return { popupMs: median(popup), bareMs: median(bare), unseededMs: median(unseeded) };
}

export async function popupBench(opens = Number(process.env.BENCH_POPUP_OPENS ?? 30)): Promise<PopupBench> {
  const popupGzip = popupGzipBytes();
  const dir = buildWithBarePage();
  let internet: FakeInternet | undefined;
  let ext: LaunchedExtension | undefined;
  try {
    internet = await startFakeInternet();
    ext = await launchExtension({ internet, dir });
    // Statuses are real (not 'unknown') once the install check has been saved.
    await waitForInstallCheck(ext);
    const warm = await paintTimes(ext, opens, 'warm');
    const cold = await paintTimes(ext, opens, 'cold');
    return { popupGzipBytes: popupGzip, warm, cold, opens };
  } finally {
    await ext?.close();
    await internet?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
