import type { Translate } from '../core/format';
import { HISTORY_SPAN_MS, type HistoryBucket } from '../core/history';

const WIDTH = 96;
const HEIGHT = 12;

/**
 * 24 h of a service as an inline SVG strip: one mark per 5-minute bucket, coloured by the worst
 * status seen, with a text label for screen readers (colour is never the only cue).
 */
export function HistoryStrip(props: {
  buckets: readonly HistoryBucket[] | undefined;
  now: number;
  name: string;
  t: Translate;
}) {
  const { buckets, now, name, t } = props;
  const recent = (buckets ?? []).filter((b) => b.t > now - HISTORY_SPAN_MS && b.t <= now);
  if (recent.length === 0) return <span class="history-empty">{t('historyEmpty')}</span>;
  const up = recent.filter((b) => b.s === 'up').length;
  const label = t('historyAria', [name, Math.round((up / recent.length) * 100)]);
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
