// Who a post to the feed comes from, for reports and observations alike: the rotating client id for
// that feed and day, and the country when both the user (shareCountry) and the browser's data consent
// (Firefox's "location") allow it. Nothing at all when the browser's consent for the data is withheld.

import { countryFromLocales } from '../core/report';

export interface SenderDeps {
  /** The id to send to the feed at this URL at this time (per feed origin and UTC day). */
  readonly clientId: (feedUrl: string, now: number) => Promise<string>;
  /** Whether the browser's data consent lets a post (and its country) go out; absent: no such consent. */
  readonly dataConsent?: () => Promise<{ report: boolean; country: boolean }>;
  /** The browser's languages, most preferred first (for the country). */
  readonly languages: () => readonly string[];
}

export interface Sender {
  readonly client: string;
  readonly country: string | null;
}

/** The sender of a post to `url` at `now`; null when the browser's data consent withholds it. */
export async function senderFor(
  deps: SenderDeps,
  url: string,
  shareCountry: boolean,
  now: number,
): Promise<Sender | null> {
  const consent = (await deps.dataConsent?.()) ?? { report: true, country: true };
  if (!consent.report) return null;
  const country = shareCountry && consent.country ? countryFromLocales(deps.languages()) : null;
  return { client: await deps.clientId(url, now), country };
}
