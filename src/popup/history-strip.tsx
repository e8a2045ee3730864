import type { Translate } from '../core/format';
import { formatPercent } from '../core/format-more';
import { answeredChecks, HISTORY_SPAN_MS, type HistoryBucket } from '../core/history';

const WIDTH = 96;
const HEIGHT = 12;

/**
 * 24 h of a service as an inline SVG strip: one mark per 5-minute bucket, coloured by the worst the
 * probes saw (a check that reached the service is up, even when the crowd made the verdict
 * degraded), with a text label for screen readers (colour is never the only cue): the share of
 * checks that reached the service.
 */
export function HistoryStrip(props: {
  buckets: readonly HistoryBucket[] | undefined;
  now: number;
  name: string;
  t: Translate;
  locale: string;
}) {
  const { buckets, now, name, t, locale } = props;
  const recent = (buckets ?? []).filter((b) => b.t > now - HISTORY_SPAN_MS && b.t <= now);
  if (recent.length === 0) return <span class="history-empty">{t('historyEmpty')}</span>;
  const checks = recent.reduce((sum, b) => sum + b.n, 0);
  const answered = recent.reduce((sum, b) => sum + answeredChecks(b), 0);
  // Rounded down: 100% only when every check answered.
  const share = checks > 0 ? Math.floor((answered * 100) / checks) / 100 : 0;
  const label = t('historyAria', [name, formatPercent(share, locale)]);
  // A 5-minute bucket is a third of a unit: draw at least 1.5 so a short outage stays visible.
  const width = Math.max(WIDTH / (HISTORY_SPAN_MS / (5 * 60_000)), 1.5);
  const xOf = (t: number) =>
    Math.min(((t - (now - HISTORY_SPAN_MS)) / HISTORY_SPAN_MS) * WIDTH, WIDTH - width);
  return (
    <svg class="history" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label}>
      <title>{label}</title>
      <rect class="history-bg" x="0" y="0" width={WIDTH} height={HEIGHT} rx="2" />
      {recent.map((b) => (
        <rect
          key={b.t}
          class={`history-${b.s}`}
          x={xOf(b.t)}
          y={b.s === 'up' ? 4 : 0}
          width={width}
          height={b.s === 'up' ? HEIGHT - 4 : HEIGHT}
        />
      ))}
    </svg>
  );
}
