import type { ServiceId } from '../core/catalog';
import type { Translate } from '../core/format';
import type { MessageKey } from '../core/messages';
import type { ServiceFeed } from '../shared/feed';

const W = 96;
const H = 28;

/**
 * Reports from others for one service, like Downdetector: the last 24 h of reports against the
 * usual level (inline SVG), the most reported problems, and where they come from, with the user's
 * own country beside them. All text from the feed is rendered as text.
 */
export function CrowdPanel(props: {
  service: ServiceId;
  data: ServiceFeed | null;
  problem: string | null;
  country: string | null;
  t: Translate;
}) {
  const { data, t } = props;
  if (!data) {
    return <p class="hint crowd-unavailable">{t('crowdUnavailable', [props.problem ?? '—'])}</p>;
  }
  const problems = topEntries(data.problems, 3);
  const countries = topEntries(data.countries, 3);
  const own = props.country ? (data.countries[props.country] ?? 0) : null;
  return (
    <details class={`crowd crowd-${data.level}`}>
      <summary>
        {t('crowdTitle')}: {t(`crowdLevel_${data.level}` as MessageKey)}
      </summary>
      <p class="crowd-summary">{t('crowdSummary', [data.recent, Math.round(data.baseline)])}</p>
      <ReportChart data={data} t={t} />
      {problems.length > 0 && (
        <p class="crowd-list">
          <strong>{t('topProblems')}:</strong>{' '}
          {problems.map(([key, n]) => `${problemLabel(key, t)} (${n})`).join(' · ')}
        </p>
      )}
      {(countries.length > 0 || own !== null) && (
        <p class="crowd-list">
          <strong>{t('topCountries')}:</strong> {countries.map(([key, n]) => `${key} (${n})`).join(' · ')}
          {own !== null && props.country && (
            <span class="own-country"> · {t('yourCountry', [props.country, own])}</span>
          )}
        </p>
      )}
    </details>
  );
}

function ReportChart({ data, t }: { data: ServiceFeed; t: Translate }) {
  const series = data.series;
  if (series.length === 0) return null;
  const max = Math.max(1, ...series.map((p) => Math.max(p.reports, p.baseline)));
  const step = W / series.length;
  const y = (v: number) => H - (v / max) * (H - 1);
  const baseline = series
    .map((p, i) => `${(i * step + step / 2).toFixed(2)},${y(p.baseline).toFixed(2)}`)
    .join(' ');
  const label = t('crowdChartAria', [data.recent, Math.round(data.baseline)]);
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
