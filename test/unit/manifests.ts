// The manifests exactly as the build hands them to crxjs (before it rewrites file names), for tests.
import { type FirefoxManifest, manifestFor, type TargetBrowser } from '../../vite.config';

type ChromeManifest = ReturnType<typeof manifestFor>;
/** Both shapes with Firefox's optional fields, so tests can read either. */
export type Manifest = Omit<ChromeManifest, 'background'> &
  Partial<Pick<FirefoxManifest, 'browser_specific_settings'>> & {
    background: { service_worker?: string; scripts?: string[]; type: string };
    permissions?: string[];
    optional_permissions?: string[];
    host_permissions?: string[];
    optional_host_permissions?: string[];
  };

export async function builtManifest(browser: TargetBrowser): Promise<Manifest> {
  return manifestFor(browser) as Manifest;
}
