import { isServiceId, SERVICE_IDS, type ServiceId, serviceName } from '../core/services';
import type { Settings } from '../core/settings';
import { useSaveStatus } from './save-status';
import { Section, type SettingsSectionProps } from './section';

/** The catalog's services, then the user's own apps. */
const allApps = (settings: Settings): ServiceId[] => [
  ...SERVICE_IDS,
  ...settings.customApps.map((a) => a.id),
];

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
        {allApps(settings).map((id) => (
          <option key={id} value={id}>
            {serviceName(id, settings.customApps)}
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
    const watched = allApps(settings).filter((s) =>
      s === settings.primary ? true : s === id ? on : settings.watched.includes(s),
    );
    void track(save({ watched }));
  };
  return (
    <Section id="watched" title={t('watchedLabel')} status={status} t={t}>
      <ul class="choices">
        {allApps(settings).map((id) => {
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
                {serviceName(id, settings.customApps)}
              </label>
            </li>
          );
        })}
      </ul>
    </Section>
  );
}
