import { type BadgeKind, badgeKind } from '../core/badge';
import type { Translate } from '../core/format';
import type { Snapshot } from '../core/snapshot';
import { DEFAULT_THRESHOLDS } from '../core/thresholds';
import { BadgeSwatch, badgeLabel, badgeMeaning } from '../ui/badge-legend';

/** The badge the toolbar shows for this snapshot (the background paints it from the same inputs). */
export function currentBadge(snapshot: Snapshot): BadgeKind {
  const { state, settings, now } = snapshot;
  return badgeKind({
    state,
    primary: settings.primary,
    watched: settings.watched,
    intervalSeconds: settings.checkIntervalSeconds,
    now,
    thresholds: DEFAULT_THRESHOLDS,
  });
}

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
