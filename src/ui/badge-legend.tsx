import { BADGE_STYLES, type BadgeKind } from '../core/badge';
import type { Translate } from '../core/format';
import type { MessageKey } from '../core/messages';

/** Every badge state, in the order a person learns them: calm, then most urgent first. */
export const BADGE_ORDER: readonly BadgeKind[] = [
  'quiet',
  'primary-down',
  'other-down',
  'degraded',
  'offline',
  'stale',
];

const MEANING: Record<BadgeKind, MessageKey> = {
  quiet: 'badgeMeaning_quiet',
  'primary-down': 'badgeMeaning_primaryDown',
  'other-down': 'badgeMeaning_otherDown',
  degraded: 'badgeMeaning_degraded',
  offline: 'badgeMeaning_offline',
  stale: 'badgeMeaning_stale',
};

/** The colour in words, so the legend never relies on seeing the colour. */
const COLOUR_WORD: Record<string, MessageKey> = {
  '#C5221F': 'badgeColor_red',
  '#F29900': 'badgeColor_amber',
  '#5F6368': 'badgeColor_grey',
};

/** What a state means, in one sentence. */
export const badgeMeaning = (kind: BadgeKind, t: Translate): string => t(MEANING[kind]);

/** The badge in words: "red badge “!”", or "no badge" when everything is up. */
export function badgeLabel(kind: BadgeKind, t: Translate): string {
  const { text, color } = BADGE_STYLES[kind];
  const colour = color ? COLOUR_WORD[color] : undefined;
  if (!text || !colour) return t('badgeNone');
  return t('badgeLabel', [t(colour), text]);
}

/** The badge as the toolbar draws it (its own text on its own colour); the words sit beside it. */
export function BadgeSwatch({ kind }: { kind: BadgeKind }) {
  const { text, color, textColor } = BADGE_STYLES[kind];
  return (
    <span
      class={`badge-swatch${color ? '' : ' badge-swatch-none'}`}
      data-badge-swatch={kind}
      aria-hidden="true"
      style={color ? { backgroundColor: color, color: textColor ?? undefined } : undefined}
    >
      {text}
    </span>
  );
}

/** The full legend: every state with its badge, its name in words and what it means. */
export function BadgeLegend({ t, current }: { t: Translate; current?: BadgeKind | null }) {
  return (
    <ul class="badge-legend">
      {BADGE_ORDER.map((kind) => (
        <li key={kind} data-badge={kind} data-current={kind === current ? '' : undefined}>
          <BadgeSwatch kind={kind} />
          <span class="badge-words">
            <strong>{badgeLabel(kind, t)}</strong> <span>{badgeMeaning(kind, t)}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}
