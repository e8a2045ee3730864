import type { BadgeKind } from '../core/badge';
import type { Translate } from '../core/format';
import { BadgeSwatch, badgeLabel, badgeMeaning } from '../ui/badge-legend';

/** "What does the badge mean?": the current badge in words, and a way to the full legend. */
export function BadgeExplainer(props: { kind: BadgeKind; t: Translate; openLegend: () => void }) {
  const { kind, t, openLegend } = props;
  return (
    <details class="badge-explainer" data-badge={kind}>
      <summary>{t('badgeExplainerSummary')}</summary>
      <p class="badge-now">
        <BadgeSwatch kind={kind} />
        <span class="badge-words">
          <strong>{t('badgeNow', [badgeLabel(kind, t)])}</strong> <span>{badgeMeaning(kind, t)}</span>
        </span>
      </p>
      <button type="button" class="link" data-action="badge-legend" onClick={openLegend}>
        {t('badgeLegendLink')}
      </button>
    </details>
  );
}
