import { type HostAccess, hostAccess, hostOfPattern } from '../core/host-access';
import { browser } from './browser';

/**
 * Every optional origin, as the manifest lists them (the probe hosts and status pages of the catalog:
 * test/unit/manifest.test.ts keeps the two equal). Read from the manifest so the pages that ask for
 * them need not load the catalog.
 */
function probeOriginPatterns(): string[] {
  const manifest = browser.runtime.getManifest() as { optional_host_permissions?: unknown };
  const patterns = manifest.optional_host_permissions;
  return Array.isArray(patterns) ? patterns.filter((p): p is string => typeof p === 'string') : [];
}

/** Set when the user turns detailed checks on in Detour, cleared when they turn them off there. */
const WANTED_KEY = 'detailedChecksWanted';

/** The optional origins the browser grants now (one `contains` per origin: grants come one by one). */
export async function grantedOrigins(): Promise<string[]> {
  const patterns = probeOriginPatterns();
  const granted = await Promise.all(
    patterns.map((pattern) => browser.permissions.contains({ origins: [pattern] }).catch(() => false)),
  );
  return patterns.filter((_, i) => granted[i]);
}

/**
 * Which probe origins the user has granted (optional host permissions). Granted origins get readable
 * status codes and the captive-portal check; the rest are probed opaquely (no-cors). Asked again
 * before every check: the user may revoke a grant at any time.
 */
export async function readableOrigins(): Promise<(url: string) => boolean> {
  const granted = new Set(await grantedOrigins());
  return (url) => granted.has(`${new URL(url).origin}/*`);
}

async function wanted(): Promise<boolean> {
  const stored = await browser.storage.local.get(WANTED_KEY);
  return stored[WANTED_KEY] === true;
}

/** Detailed checks as the browser has them now: on, off, or missing (wanted but not all granted). */
export async function currentHostAccess(): Promise<HostAccess> {
  const [granted, want] = await Promise.all([grantedOrigins(), wanted()]);
  return hostAccess(probeOriginPatterns(), granted, want);
}

/**
 * Asks for every optional origin. Call it straight from a click handler, before any other await:
 * browsers only show the prompt during a user gesture.
 */
export async function requestDetailedChecks(): Promise<boolean> {
  const asked = browser.permissions.request({ origins: probeOriginPatterns() });
  const ok = await asked;
  if (ok) await browser.storage.local.set({ [WANTED_KEY]: true });
  return ok;
}

/** Turns detailed checks off: gives back whatever is still granted, and stops asking for it. */
export async function turnOffDetailedChecks(): Promise<void> {
  await browser.storage.local.set({ [WANTED_KEY]: false });
  await browser.permissions.remove({ origins: probeOriginPatterns() });
}

/**
 * Calls back when a grant for one of Detour's origins is added or removed (from Detour or from the
 * browser's own settings), or when the user turns detailed checks on or off. Returns an unsubscribe.
 */
export function onHostAccessChanged(listener: () => void): () => void {
  // Matched by host name: a browser may report a grant in its own spelling of the pattern.
  const ours = new Set(probeOriginPatterns().map(hostOfPattern));
  const onPermissions = (permissions: { origins?: string[] }) => {
    if (permissions.origins?.some((o) => ours.has(hostOfPattern(o)))) listener();
  };
  const onStorage = (changes: Record<string, unknown>, area: string) => {
    if (area === 'local' && WANTED_KEY in changes) listener();
  };
  browser.permissions.onAdded.addListener(onPermissions);
  browser.permissions.onRemoved.addListener(onPermissions);
  browser.storage.onChanged.addListener(onStorage);
  return () => {
    browser.permissions.onAdded.removeListener(onPermissions);
    browser.permissions.onRemoved.removeListener(onPermissions);
    browser.storage.onChanged.removeListener(onStorage);
  };
}
