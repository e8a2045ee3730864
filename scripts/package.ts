// `npm run package` (after `npm run build`): writes packages/detour-{chrome,firefox,source}-<version>.zip,
// the uploads for the Chrome Web Store / Edge Add-ons, addons.mozilla.org, and AMO's source request.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { storePackages } from './store-packages';

const root = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const outDir = join(root, 'packages');

try {
  const packages = storePackages(root, version);
  mkdirSync(outDir, { recursive: true });
  for (const { name, bytes } of packages) {
    writeFileSync(join(outDir, name), bytes);
    console.log(`packages/${name}  ${(bytes.length / 1024).toFixed(1)} KB`);
  }
} catch (error) {
  console.error(`package: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
