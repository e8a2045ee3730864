import { useState } from 'preact/hooks';
import {
  type CustomApp,
  type CustomAppDraft,
  type CustomAppField,
  customAppOfDraft,
  customAppProblems,
} from '../core/custom-apps';
import type { MessageKey } from '../core/messages';
import type { Settings } from '../core/settings';
import { useSaveStatus } from './save-status';
import { Section, type SettingsSectionProps } from './section';

const EMPTY: CustomAppDraft = { name: '', url: '', statusUrl: '', openUrl: '' };
const FIELDS: readonly {
  name: CustomAppField;
  key: keyof CustomAppDraft;
  label: MessageKey;
  type: string;
}[] = [
  { name: 'customName', key: 'name', label: 'customNameLabel', type: 'text' },
  { name: 'customUrl', key: 'url', label: 'customUrlLabel', type: 'url' },
  { name: 'customStatusUrl', key: 'statusUrl', label: 'customStatusUrlLabel', type: 'url' },
  { name: 'customOpenUrl', key: 'openUrl', label: 'customOpenUrlLabel', type: 'url' },
];

/** The settings without one of the user's apps: nor watched, nor primary, nor a fallback any more. */
export function withoutApp(settings: Settings, id: CustomApp['id']) {
  return {
    customApps: settings.customApps.filter((a) => a.id !== id),
    watched: settings.watched.filter((w) => w !== id),
    fallbacks: settings.fallbacks.filter((f) => f !== id),
    ...(settings.primary === id ? { primary: 'whatsapp' as const } : {}),
  };
}

/**
 * The user's own apps: a form (name, address to check, optional Statuspage, optional link) whose
 * problems show per field when the user presses Add, and the list of apps added, each removable. A new
 * app is watched at once. Nothing is asked of the browser: the probe is opaque and a Statuspage is read
 * with CORS (docs/signal-sources.md).
 */
export function CustomAppsSection({ settings, t, save }: SettingsSectionProps) {
  const { status, track } = useSaveStatus();
  const [draft, setDraft] = useState<CustomAppDraft>(EMPTY);
  const [problems, setProblems] = useState<ReturnType<typeof customAppProblems>>({});
  const apps = settings.customApps;

  const add = () => {
    const found = customAppProblems(draft, apps);
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    const app = customAppOfDraft(draft, apps);
    setDraft(EMPTY);
    void track(save({ customApps: [...apps, app], watched: [...settings.watched, app.id] }));
  };

  return (
    <Section id="custom-apps" title={t('customAppsLabel')} hint={t('customAppsHint')} status={status} t={t}>
      {apps.length === 0 ? (
        <p class="hint">{t('customNone')}</p>
      ) : (
        <ul class="custom-apps">
          {apps.map((app) => (
            <li key={app.id} data-custom-app={app.id}>
              <span>{app.name}</span>{' '}
              <span class="hint" dir="ltr">
                {app.url}
              </span>{' '}
              <button
                type="button"
                class="link"
                data-action="remove-custom"
                data-service={app.id}
                onClick={() => void track(save(withoutApp(settings, app.id)))}
              >
                {t('customRemove', [app.name])}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="custom-app-form">
        {FIELDS.map(({ name, key, label, type }) => {
          const problem = problems[name];
          const id = `custom-app-${key}`;
          return (
            <div class="field" key={name}>
              <label for={id}>{t(label)}</label>
              <input
                id={id}
                name={name}
                type={type}
                dir={type === 'url' ? 'ltr' : 'auto'}
                autocomplete="off"
                spellcheck={false}
                value={draft[key]}
                aria-invalid={problem ? 'true' : undefined}
                aria-describedby={problem ? `${id}-error` : undefined}
                onInput={(e) => setDraft({ ...draft, [key]: e.currentTarget.value })}
              />
              {problem && (
                <p class="error" id={`${id}-error`} data-error-for={name} role="alert">
                  {t(`customError_${problem}`)}
                </p>
              )}
            </div>
          );
        })}
        <button type="button" data-action="add-custom" onClick={add}>
          {t('customAdd')}
        </button>
      </div>
    </Section>
  );
}
