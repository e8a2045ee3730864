// Where the end-to-end tests save their screenshots. `npm test` must leave the work tree as it found
// it, so a plain run writes them to a temporary folder (the pictures are still taken: a page that
// cannot be photographed fails the test); `npm run screenshots` sets DETOUR_SCREENSHOTS=1 and they
// replace the README's pictures in docs/screenshots/.

import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const README_SCREENSHOTS = resolve(import.meta.dirname, '../../docs/screenshots');

/** The folder to save into (made if missing). */
export function screenshotDir(): string {
  const dir =
    process.env.DETOUR_SCREENSHOTS === '1' ? README_SCREENSHOTS : join(tmpdir(), 'detour-screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}
