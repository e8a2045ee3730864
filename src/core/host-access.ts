// Detailed checks: the optional host permissions for the probe targets and status pages. Browsers
// let the user grant and revoke them at any time (Firefox from the add-on's Permissions tab, Chrome
// from its site access), so Detour derives what to say from what is granted now.

/**
 * - `on`: every origin is granted: readable status codes, captive-portal check, status pages read
 *   without depending on their CORS headers.
 * - `off`: none granted and the user never asked for them (the state after install): nothing to say
 *   beyond the offer in the settings. Detour works without them (opaque no-cors probes).
 * - `missing`: the user turned them on, and the browser no longer grants all of them (revoked in the
 *   browser's settings, or granted only in part): a prompt in the popup and the settings.
 */
export type HostAccessState = 'on' | 'off' | 'missing';

export interface HostAccess {
  readonly state: HostAccessState;
  /** Host names whose origin is not granted (empty when `on`). */
  readonly missing: readonly string[];
}

/** Origin match pattern (`https://host/*`) → host name. */
export function hostOfPattern(pattern: string): string {
  return pattern.replace(/^[a-z*]+:\/\//, '').replace(/\/.*$/, '');
}

/**
 * @param required every optional origin pattern
 * @param granted  the patterns the browser grants now
 * @param wanted   the user turned detailed checks on in Detour and has not turned them off since
 */
export function hostAccess(
  required: readonly string[],
  granted: readonly string[],
  wanted: boolean,
): HostAccess {
  const have = new Set(granted);
  const missing = required.filter((p) => !have.has(p)).map(hostOfPattern);
  if (missing.length === 0) return { state: 'on', missing: [] };
  // Any grant at all (e.g. one host allowed in Firefox's add-on manager) also says the user wants them.
  const anyGranted = required.some((p) => have.has(p));
  return { state: wanted || anyGranted ? 'missing' : 'off', missing };
}
