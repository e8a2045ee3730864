// Firefox's built-in data consent for what a problem report or a shared observation carries. The
// Firefox manifest declares `technicalAndInteraction` (the report: service, problem, a random client
// id; the observation: service ids with up or down, the same id) and `locationInfo` (the country) as
// optional data collection; Chrome has no such API, so there the click on a
// problem is the consent, disclosed in PRIVACY.md and the store listing.
import { browser } from './browser';

/** Report data (service, problem, client id): Firefox's "technical and interaction data". */
export const REPORT_DATA = 'technicalAndInteraction';
/** The country added to a report: Firefox's "location". */
export const COUNTRY_DATA = 'locationInfo';

interface DataPermissions {
  readonly data_collection: string[];
}
interface WithDataCollection {
  readonly browser_specific_settings?: {
    readonly gecko?: { readonly data_collection_permissions?: { readonly optional?: readonly string[] } };
  };
}

/** The optional data types this build's manifest declares (none in the Chrome build). */
function declared(): readonly string[] {
  const manifest = browser.runtime.getManifest() as WithDataCollection;
  return manifest.browser_specific_settings?.gecko?.data_collection_permissions?.optional ?? [];
}

// The polyfill's types predate data collection permissions (Firefox 139+).
const request = (p: DataPermissions) =>
  (browser.permissions.request as unknown as (p: DataPermissions) => Promise<boolean>)(p);
const contains = (p: DataPermissions) =>
  (browser.permissions.contains as unknown as (p: DataPermissions) => Promise<boolean>)(p);

/**
 * Called straight from the click on a problem (Firefox asks only during a user gesture): asks once
 * for consent to send reports; once given, it answers at once without a prompt. True where the
 * browser has no such consent (Chrome).
 */
export function askReportConsent(): Promise<boolean> {
  if (!declared().includes(REPORT_DATA)) return Promise.resolve(true);
  return request({ data_collection: [REPORT_DATA] }).catch(() => false);
}

/** What may be sent now: a report at all, and the country with it. Checked again before each send. */
export async function dataConsent(): Promise<{ report: boolean; country: boolean }> {
  const optional = declared();
  const allowed = async (type: string) =>
    optional.includes(type) ? contains({ data_collection: [type] }).catch(() => false) : true;
  const [report, country] = await Promise.all([allowed(REPORT_DATA), allowed(COUNTRY_DATA)]);
  return { report, country };
}
