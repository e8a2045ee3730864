// Where a service fails, in words: "Down for others too…", "Down in Italy…", "Other browsers reach
// it…". Apart from headline.ts, as the popup says it once the extras are loaded (after the first paint).

import type { ServiceProbes } from '../shared/feed';
import type { CustomApp } from './custom-apps';
import { formatNumber, plural, type Translate } from './format';
import { countryName } from './format-more';
import { listFormat } from './intl-cache';
import { downCountries } from './scope';
import { type ServiceId, serviceName } from './services';
import type { ServiceState } from './types';

/** Countries named after "Down for others": the ones with the most networks that can't reach it. */
export const SCOPE_PLACES = 3;

/**
 * The sentence for one service's scope, or null when there is nothing to say (no scope, unknown,
 * or nothing known of the service here: while offline the probes say neither "too" nor "not here").
 * `probes` is the feed's, for the countries "Down for others" names.
 */
export function scopeSentence(
  id: ServiceId,
  s: ServiceState | undefined,
  probes: ServiceProbes | undefined,
  t: Translate,
  locale: string,
  apps: readonly CustomApp[],
): string | null {
  const scope = s?.scope;
  if (!s || !scope || s.status === 'unknown') return null;
  const name = serviceName(id, apps);
  switch (scope.kind) {
    case 'everyone': {
      const base = s.probeStatus === 'down' ? 'scopeEveryoneToo' : 'scopeEveryoneNotHere';
      return plural(t, locale, base, scope.total, [
        formatNumber(scope.down, locale),
        name,
        places(probes, locale),
      ]);
    }
    case 'country': {
      const country = countryName(scope.country ?? '', locale);
      if (scope.total === 0) return t('scopeCountryBare', [country]);
      return plural(t, locale, 'scopeCountry', scope.total, [formatNumber(scope.down, locale), country]);
    }
    case 'network':
      return plural(t, locale, 'scopeNetwork', scope.total - scope.down, [name]);
    default:
      return null;
  }
}

/** " (Italy, France, UK…)": the countries with the most networks that fail, or nothing. */
function places(probes: ServiceProbes | undefined, locale: string): string {
  const { codes, more } = downCountries(probes?.countries, SCOPE_PLACES);
  if (codes.length === 0) return '';
  // A bare list ("Italy, France, UK"), not a sentence ("Italy, France and UK"): more may follow.
  const list = listFormat(locale, { style: 'short', type: 'unit' }).format(
    codes.map((code) => countryName(code, locale)),
  );
  return ` (${list}${more ? '…' : ''})`;
}
