import { plural, type Translate } from '../core/format';
import { MAX_INTERVAL_SECONDS, MIN_INTERVAL_SECONDS } from '../core/settings';
import { useSaveStatus } from './save-status';
import { Section, type SettingsSectionProps } from './section';

export const INTERVAL_CHOICES = [30, 60, 120, 300, 900] as const;

function intervalLabel(seconds: number, t: Translate, locale: string): string {
  return seconds < 60 || seconds % 60 !== 0
    ? plural(t, locale, 'intervalSeconds', seconds)
    : plural(t, locale, 'durationMinutes', seconds / 60);
}

/** How often the background checks. A stored value outside the usual choices stays selectable. */
export function IntervalSection({ settings, t, save, locale }: SettingsSectionProps & { locale: string }) {
  const { status, track } = useSaveStatus();
  const current = settings.checkIntervalSeconds;
  const choices: readonly number[] = INTERVAL_CHOICES.includes(current as (typeof INTERVAL_CHOICES)[number])
    ? INTERVAL_CHOICES
    : [...INTERVAL_CHOICES, current].sort((a, b) => a - b);
  return (
    <Section id="interval" title={t('intervalLabel')} status={status} t={t}>
      <select
        name="checkIntervalSeconds"
        aria-labelledby="interval-legend"
        value={String(current)}
        onChange={(e) => {
          const seconds = Number(e.currentTarget.value);
          if (
            Number.isInteger(seconds) &&
            seconds >= MIN_INTERVAL_SECONDS &&
            seconds <= MAX_INTERVAL_SECONDS
          ) {
            void track(save({ checkIntervalSeconds: seconds }));
          }
        }}
      >
        {choices.map((s) => (
          <option key={s} value={String(s)}>
            {intervalLabel(s, t, locale)}
          </option>
        ))}
      </select>
    </Section>
  );
}

export function NotificationsSection({ settings, t, save }: SettingsSectionProps) {
  const { status, track } = useSaveStatus();
  return (
    <Section id="notifications" title={t('notificationsLabel')} status={status} t={t}>
      <label class="switch">
        <input
          type="checkbox"
          name="notifications"
          checked={settings.notifications}
          onChange={(e) => void track(save({ notifications: e.currentTarget.checked }))}
        />{' '}
        {t('notificationsLabel')}
      </label>
    </Section>
  );
}
