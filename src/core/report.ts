import { isCountryCode } from './countries';
import type { ServiceId } from './services';

/** What the user sees after "Report a problem", in words. */
export type ReportOutcome =
  | { readonly kind: 'counted' }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'rate-limited'; readonly retryAfterSeconds: number }
  | { readonly kind: 'unreachable' }
  | { readonly kind: 'rejected'; readonly message: string }
  | { readonly kind: 'no-feed' }
  | { readonly kind: 'read-only-feed' }
  /** The browser's data consent (Firefox) for sending reports was not given. */
  | { readonly kind: 'no-consent' };

/**
 * The user's country from their browser languages ("en-GB" → "GB"); null when none names a country.
 * Only assigned ISO 3166-1 codes: "es-419" (Latin America), "en-UK" or a pseudo-locale's "XA" are
 * skipped, as feeds drop them anyway.
 */
export function countryFromLocales(locales: readonly string[]): string | null {
  for (const tag of locales) {
    try {
      const region = new Intl.Locale(tag).region;
      if (isCountryCode(region)) return region;
    } catch {
      // Not a language tag: try the next one.
    }
  }
  return null;
}

/** Reads the feed's answer to a report into an outcome; anything unexpected is "rejected". */
export function reportOutcome(status: number, body: unknown, retryAfter: string | null): ReportOutcome {
  if (status === 202 && typeof body === 'object' && body !== null) {
    const answer = body as { counted?: unknown; reason?: unknown };
    if (answer.counted === true) return { kind: 'counted' };
    if (answer.counted === false && answer.reason === 'duplicate') return { kind: 'duplicate' };
  }
  if (status === 429) {
    const seconds = Number(retryAfter);
    return {
      kind: 'rate-limited',
      retryAfterSeconds: Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : 60,
    };
  }
  const message =
    typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string'
      ? ((body as { message: string }).message.slice(0, 200) ?? '')
      : `HTTP ${status}`;
  return { kind: 'rejected', message };
}

export interface ReportRequest {
  readonly service: ServiceId;
  readonly problem: string;
}
