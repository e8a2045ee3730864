import { useState } from 'preact/hooks';
import type { Contact } from '../core/contacts';
import type { Connector } from '../ui/connector';
import { useSnapshot } from '../ui/use-snapshot';
import { AlertOnSection, QuietHoursSection, ReminderSection, SnoozeSection } from './alert-sections';
import { ContactsSection } from './contacts-section';
import { CustomAppsSection } from './custom-apps-section';
import { FallbackOrderSection } from './fallback-order';
import { FeedUrlSection } from './feed-url-section';
import { HandlesSection } from './handles-section';
import { IntervalSection, NotificationsSection } from './monitoring-sections';
import { OutageHistorySection } from './outage-history';
import { PermissionsSection } from './permissions-section';
import { ReadinessSection } from './readiness-section';
import { PrimarySection, WatchedSection } from './service-sections';
import { ShareObservationsSection } from './share-observations-section';
import { StatusPagesSection } from './status-pages-section';
import { useSettingsSaver } from './use-settings-saver';

/** The options page: every setting saved on change, each section saying whether it was. */
export function OptionsApp({ connector }: { connector: Connector }) {
  const { t, locale } = connector;
  const { snapshot, setSnapshot, error } = useSnapshot(connector);
  const save = useSettingsSaver(connector, snapshot, setSnapshot);
  // The contact list as last saved (null until the contacts section has read it): readiness follows it.
  const [contacts, setContacts] = useState<readonly Contact[] | null>(null);

  if (!snapshot) {
    return (
      <main class="options" aria-busy="true">
        <h1>{t('optionsTitle')}</h1>
        {error ? (
          <p class="error" role="alert">
            {t('errorMessage', [error])}
          </p>
        ) : (
          <p class="hint">…</p>
        )}
      </main>
    );
  }

  const props = { settings: snapshot.settings, t, save };
  return (
    <main class="options">
      <h1>{t('optionsTitle')}</h1>
      <form class="sections" onSubmit={(e) => e.preventDefault()}>
        <PrimarySection {...props} />
        <WatchedSection {...props} />
        <CustomAppsSection {...props} />
        <FallbackOrderSection {...props} />
        <HandlesSection {...props} />
        <ContactsSection connector={connector} t={t} onSaved={setContacts} />
        {contacts && (
          <ReadinessSection settings={snapshot.settings} contacts={contacts} t={t} locale={locale} />
        )}
        <IntervalSection {...props} locale={locale} />
        <NotificationsSection {...props} />
        <SnoozeSection
          connector={connector}
          snapshot={snapshot}
          setSnapshot={setSnapshot}
          t={t}
          locale={locale}
        />
        <AlertOnSection {...props} />
        <ReminderSection {...props} locale={locale} />
        <QuietHoursSection {...props} />
        <StatusPagesSection {...props} />
        <FeedUrlSection {...props} />
        <ShareObservationsSection {...props} askConsent={connector.askShareConsent} />
        <PermissionsSection connector={connector} t={t} />
        <OutageHistorySection
          outages={snapshot.outages}
          t={t}
          locale={locale}
          now={snapshot.now}
          apps={snapshot.settings.customApps}
        />
      </form>
    </main>
  );
}
