import { channelName } from '../core/away-message';
import type { Contact } from '../core/contacts';
import { plural, type Translate } from '../core/format';
import { readiness } from '../core/readiness';
import { serviceName } from '../core/services';
import type { Settings } from '../core/settings';
import { Section } from './section';

/**
 * How ready the user is before the next outage (src/core/readiness.ts): who can only be reached on
 * the main app, which fallbacks lack the user's own handle, and where to get each fallback app. On
 * the settings page (following the contact list as it is saved) and on the welcome page.
 */
export function ReadinessSection(props: {
  settings: Settings;
  contacts: readonly Contact[];
  t: Translate;
  locale: string;
}) {
  const { settings, contacts, t, locale } = props;
  const { stranded, missingHandles, apps, ready } = readiness(
    settings.primary,
    settings.fallbacks,
    settings.handles,
    contacts,
    settings.customApps,
  );
  return (
    <Section id="readiness" title={t('readinessTitle')} hint={t('readinessHint')} t={t}>
      <div class="readiness" data-readiness={ready ? 'ready' : 'missing'}>
        {contacts.length === 0 && <p class="hint">{t('readyNoContacts')}</p>}
        {ready && contacts.length > 0 && <p class="ok">{t('readyAll')}</p>}
        {stranded.length > 0 && (
          <>
            <p class="warn">
              {plural(t, locale, 'readyStranded', stranded.length, [
                serviceName(settings.primary, settings.customApps),
              ])}
            </p>
            <ul class="readiness-list">
              {stranded.map((c) => (
                <li key={c.id} data-stranded-contact={c.id}>
                  {c.name}
                </li>
              ))}
            </ul>
          </>
        )}
        {missingHandles.length > 0 && (
          <>
            <p class="warn">{t('readyMissingHandles')}</p>
            <ul class="readiness-list">
              {missingHandles.map((channel) => (
                <li key={channel} data-missing-handle={channel}>
                  {channelName(channel, t, settings.customApps)}
                </li>
              ))}
            </ul>
          </>
        )}
        {apps.length > 0 && (
          <>
            <p>{t('readyGetApps')}</p>
            <ul class="readiness-list">
              {apps.map(({ channel, get, open }) => (
                <li key={channel}>
                  {get && (
                    <a data-get-app={channel} href={get} target="_blank" rel="noreferrer">
                      {t('readyGetApp', [serviceName(channel, settings.customApps)])}
                    </a>
                  )}{' '}
                  {open && (
                    <a class="app-link" data-open-app={channel} href={open} target="_blank" rel="noreferrer">
                      {t('openInApp')}
                    </a>
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </Section>
  );
}
