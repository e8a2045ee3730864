import { CATALOG } from '../core/catalog';
import { isServiceId, SERVICE_IDS } from '../core/services';
import { useSaveStatus } from './save-status';
import { Section, type SettingsSectionProps } from './section';

/** The app the user relies on most. */
export function PrimarySection({ settings, t, save }: SettingsSectionProps) {
  const { status, track } = useSaveStatus();
  return (
    <Section id="primary" title={t('primaryLabel')} hint={t('primaryHint')} status={status} t={t}>
      <select
        name="primary"
        aria-labelledby="primary-legend"
        value={settings.primary}
        onChange={(e) => {
          const primary = e.currentTarget.value;
          if (isServiceId(primary)) void track(save({ primary }));
        }}
      >
        {SERVICE_IDS.map((id) => (
          <option key={id} value={id}>
            {CATALOG[id].name}
          </option>
        ))}
      </select>
    </Section>
  );
}

/** Which services to check; the primary is always among them. */
export function WatchedSection({ settings, t, save }: SettingsSectionProps) {
  const { status, track } = useSaveStatus();
  const toggle = (id: string, on: boolean) => {
    const watched = SERVICE_IDS.filter((s) =>
      s === settings.primary ? true : s === id ? on : settings.watched.includes(s),
    );
    void track(save({ watched }));
  };
  return (
    <Section id="watched" title={t('watchedLabel')} status={status} t={t}>
      <ul class="choices">
        {SERVICE_IDS.map((id) => {
          const primary = id === settings.primary;
          return (
            <li key={id}>
              <label>
                <input
                  type="checkbox"
                  name="watch"
                  value={id}
                  checked={primary || settings.watched.includes(id)}
                  disabled={primary}
                  onChange={(e) => toggle(id, e.currentTarget.checked)}
                />{' '}
                {CATALOG[id].name}
              </label>
            </li>
          );
        })}
      </ul>
    </Section>
  );
}
