// Regenerates icons/icon-{16,32,48,128}.png from icons/icon.svg.
// Run: npx tsx scripts/render-icons.ts
// Uses Debian's system Chromium through playwright-core so nothing is ever downloaded,
// and the browser's own SVG rasteriser gives the same anti-aliasing users will see.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const iconsDir = fileURLToPath(new URL('../icons/', import.meta.url));
const SIZES = [16, 32, 48, 128];

const svg = await readFile(`${iconsDir}icon.svg`, 'utf8');
const browser = await chromium.launch({
  executablePath: '/usr/lib/chromium/chromium',
  headless: true,
  // Sandbox/GPU off for containers; the rest keeps headless Chromium from phoning home.
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
try {
  for (const size of SIZES) {
    // deviceScaleFactor 1 so the PNG is exactly size×size pixels, rasterised at that size
    // (not downscaled from a larger render).
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    // Inline SVG stretched to the viewport; no margins, transparent page.
    const sized = svg.replace(/<svg\b/, `<svg style="display:block;width:${size}px;height:${size}px"`);
    await page.setContent(
      `<!doctype html><html><body style="margin:0;background:transparent">${sized}</body></html>`,
    );
    // omitBackground keeps the corners outside the rounded tile transparent.
    const png = await page.screenshot({
      omitBackground: true,
      clip: { x: 0, y: 0, width: size, height: size },
    });
    await writeFile(`${iconsDir}icon-${size}.png`, png);
    await page.close();
    console.log(`icons/icon-${size}.png`);
  }
} finally {
  await browser.close();
}
