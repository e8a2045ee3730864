import { probeOriginPatterns } from '../core/catalog';
import { browser } from './browser';

/**
 * Which probe origins the user has granted (optional host permissions). Granted origins get readable
 * status codes and the captive-portal check; the rest are probed opaquely (no-cors).
 */
export async function readableOrigins(): Promise<(url: string) => boolean> {
  const granted = new Set<string>();
  await Promise.all(
    probeOriginPatterns().map(async (pattern) => {
      const ok = await browser.permissions.contains({ origins: [pattern] }).catch(() => false);
      if (ok) granted.add(pattern);
    }),
  );
  return (url) => granted.has(`${new URL(url).origin}/*`);
}
