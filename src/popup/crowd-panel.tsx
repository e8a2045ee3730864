import { Fragment } from 'preact';
import { formatNumber, type Translate } from '../core/format';
import { countryName } from '../core/format-more';
import type { MessageKey } from '../core/messages';
import type { ServiceId } from '../core/services';
import type { ServiceFeed } from '../shared/feed';

const W = 96;
const H = 28;

/**
 * Reports from others for one service, like Downdetector. The count against the usual level is
 * always in view (it is what says "possible outage"); folded under it, the last 24 h of reports
 * against the usual level (inline SVG), the most reported problems, and where they come from, by
 * name in the user's language, with the user's own country marked in words. All text from the feed
 * is rendered as text.
 */
export function CrowdPanel(props: {
  service: ServiceId;
  data: ServiceFeed | null;
  problem: string | null;
  country: string | null;
  t: Translate;
  locale: string;
}) {
  const { data, t, locale } = props;
  if (!data) {
    return <p class="hint crowd-unavailable">{t('crowdUnavailable', [props.problem ?? '—'])}</p>;
  }
  const num = (n: number) => formatNumber(n, locale);
  const problems = topEntries(data.problems, 3);
  const places = countryEntries(data.countries, props.country, 3);
  return (
    <div class="crowd-panel">
      <p class={`crowd-summary crowd-summary-${data.level}`}>
        {t('crowdSummary', [num(data.recent), num(Math.round(data.baseline))])}
      </p>
      <details class={`crowd crowd-${data.level}`}>
        <summary>
          {t('crowdTitle')}: {t(`crowdLevel_${data.level}` as MessageKey)}
        </summary>
        <ReportChart data={data} t={t} locale={locale} />
        {problems.length > 0 && (
          <p class="crowd-list">
            <strong>{t('topProblems')}:</strong>{' '}
            {problems.map(([key, n]) => `${problemLabel(key, t)} (${num(n)})`).join(' · ')}
          </p>
        )}
        {/* No countries and no own country: no line at all, never an empty "Where:". */}
        {places.length > 0 && (
          <p class="crowd-list crowd-countries">
            <strong>{t('topCountries')}:</strong>{' '}
            {places.map((place, i) => (
              <Fragment key={place.code}>
                {i > 0 && ' · '}
                {place.own ? (
                  <strong class="own-country" data-own-country={place.code}>
                    {t('yourCountry', [countryName(place.code, locale), num(place.count)])}
                  </strong>
                ) : (
                  t('countryCount', [countryName(place.code, locale), num(place.count)])
                )}
              </Fragment>
            ))}
          </p>
        )}
      </details>
    </div>
  );
}

/**
 * The most reporting countries, the user's own marked where it ranks, or added after them (with
 * its count, zero included: "nobody here" says as much as "many here").
 */
function countryEntries(
  countries: Readonly<Record<string, number>>,
  own: string | null,
  n: number,
): { code: string; count: number; own: boolean }[] {
  const top = topEntries(countries, n).map(([code, count]) => ({ code, count, own: code === own }));
  if (own === null || top.some((c) => c.own)) return top;
  return [...top, { code: own, count: countries[own] ?? 0, own: true }];
}

function ReportChart({ data, t, locale }: { data: ServiceFeed; t: Translate; locale: string }) {
  const series = data.series;
  if (series.length === 0) return null;
  const max = Math.max(1, ...series.map((p) => Math.max(p.reports, p.baseline)));
  const step = W / series.length;
  const y = (v: number) => H - (v / max) * (H - 1);
  const baseline = series
    .map((p, i) => `${(i * step + step / 2).toFixed(2)},${y(p.baseline).toFixed(2)}`)
    .join(' ');
  const label = t('crowdChartAria', [
    formatNumber(data.recent, locale),
    formatNumber(Math.round(data.baseline), locale),
  ]);
  return (
    <svg
      class="crowd-chart"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={label}
      preserveAspectRatio="none"
    >
      <title>{label}</title>
      {series.map((p, i) => (
        <rect
          key={p.t}
          class={p.reports > p.baseline * 2 && p.reports >= 5 ? 'bar-high' : 'bar'}
          x={i * step}
          y={y(p.reports)}
          width={Math.max(step - 0.2, 0.3)}
          height={H - y(p.reports)}
        />
      ))}
      <polyline class="baseline" points={baseline} fill="none" />
    </svg>
  );
}

function topEntries(record: Readonly<Record<string, number>>, n: number): [string, number][] {
  return Object.entries(record)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n);
}

const PROBLEM_KEYS = new Set(['messages', 'connection', 'login', 'calls', 'app', 'other']);

function problemLabel(key: string, t: Translate): string {
  return PROBLEM_KEYS.has(key) ? t(`problem_${key}` as MessageKey) : key;
}
