// The manifests exactly as the build writes them (before crxjs rewrites file names), for tests.
import type { ManifestV3Export } from '@crxjs/vite-plugin';
import { manifestFor, type TargetBrowser } from '../../manifest.config';

type Manifest = Exclude<Awaited<ManifestV3Export>, (...args: never[]) => unknown>;

export async function builtManifest(browser: TargetBrowser): Promise<Manifest> {
  const exported = manifestFor(browser);
  return typeof exported === 'function'
    ? await exported({ command: 'build', mode: browser, isSsrBuild: false, isPreview: false })
    : await exported;
}
