import { formatClock, type Translate } from '../core/format';
import { MUTE_FOR, type Mute, type MuteFor } from '../core/mutes';
import type { ServiceId } from '../core/services';

const MUTE_WORDS = { '1h': 'mute1h', '4h': 'mute4h', 'until-back': 'muteUntilBack' } as const;

/**
 * Mute one app from its row: a menu of 1 hour, 4 hours or until it is back; once muted, what the
 * mute is and how to end it. The row itself carries data-muted (service-row.tsx).
 */
export function MuteMenu(props: {
  service: ServiceId;
  /** Its mute while in force, else undefined. */
  mute: Mute | undefined;
  t: Translate;
  locale: string;
  onMute: (service: ServiceId, kind: MuteFor | null) => void;
}) {
  const { service, mute, t } = props;
  if (mute) {
    return (
      <p class="mute muted-line">
        <span class="tag tag-muted">
          {mute.untilBack ? t('mutedUntilBack') : t('mutedUntil', [formatClock(mute.until, props.locale)])}
        </span>{' '}
        <button
          type="button"
          class="link"
          data-action="unmute"
          data-service={service}
          onClick={() => props.onMute(service, null)}
        >
          {t('unmute')}
        </button>
      </p>
    );
  }
  return (
    <details class="mute">
      <summary>{t('muteMenu')}</summary>
      {MUTE_FOR.map((kind) => (
        <button
          key={kind}
          type="button"
          class="link"
          data-action="mute"
          data-service={service}
          data-for={kind}
          onClick={() => props.onMute(service, kind)}
        >
          {t(MUTE_WORDS[kind])}
        </button>
      ))}
    </details>
  );
}
