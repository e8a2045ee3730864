import { useEffect, useState } from 'preact/hooks';
import type { Contact } from '../core/contacts';
import { FallbackOrderSection } from '../options/fallback-order';
import { ReadinessSection } from '../options/readiness-section';
import { PrimarySection } from '../options/service-sections';
import { ShareObservationsSection } from '../options/share-observations-section';
import { useSettingsSaver } from '../options/use-settings-saver';
import { BadgeLegend } from '../ui/badge-legend';
import type { Connector } from '../ui/connector';
import { useSnapshot } from '../ui/use-snapshot';
import { PrivacySection } from './privacy-section';

/**
 * The first-run page: pick the main app and the fallbacks (the options page's own sections, saved
 * the same way), see how ready that leaves the user, learn the badge, and see what is sent and what
 * never is. Its `#badges` section is
 * the full legend the popup links to.
 */
export function WelcomeApp({ connector }: { connector: Connector }) {
  const { t } = connector;
  const { snapshot, setSnapshot, error } = useSnapshot(connector);
  const save = useSettingsSaver(connector, snapshot, setSnapshot);
  const [shortcut, setShortcut] = useState<string | null>(null);
  const [contacts, setContacts] = useState<readonly Contact[] | null>(null);
  const loaded = snapshot !== null;

  useEffect(() => {
    connector.shortcut().then(setShortcut, () => setShortcut(null));
    connector.loadContacts().then(
      (r) => setContacts(r.contacts),
      () => setContacts(null),
    );
  }, [connector]);

  // Opened at a section (the popup's "All badge states"): the settings above it have just pushed
  // it down, so go there again once they are drawn.
  useEffect(() => {
    const id = globalThis.location?.hash.slice(1);
    if (loaded && id) document.getElementById(id)?.scrollIntoView?.();
  }, [loaded]);

  return (
    <main class="welcome" data-page="welcome">
      <header>
        <h1>{t('welcomeTitle')}</h1>
        <p class="lead">{t('welcomeIntro')}</p>
      </header>

      <section class="part" data-part="setup" aria-labelledby="setup-title">
        <h2 id="setup-title">{t('welcomeSetupTitle')}</h2>
        {snapshot ? (
          <form class="sections" onSubmit={(e) => e.preventDefault()}>
            <PrimarySection settings={snapshot.settings} t={t} save={save} />
            <FallbackOrderSection settings={snapshot.settings} t={t} save={save} />
            {contacts && (
              <ReadinessSection
                settings={snapshot.settings}
                contacts={contacts}
                t={t}
                locale={connector.locale}
              />
            )}
            <ShareObservationsSection
              settings={snapshot.settings}
              t={t}
              save={save}
              askConsent={connector.askShareConsent}
            />
          </form>
        ) : error ? (
          <p class="error" role="alert">
            {t('errorMessage', [error])}
          </p>
        ) : (
          <p class="hint" aria-busy="true">
            …
          </p>
        )}
        <p class="hint">
          {t('welcomeMoreSettings')}{' '}
          <button
            type="button"
            class="link"
            data-action="open-options"
            onClick={() => connector.openOptions()}
          >
            {t('openSettings')}
          </button>
        </p>
      </section>

      <section class="part" id="badges" data-part="badges" aria-labelledby="badges-title">
        <h2 id="badges-title">{t('welcomeBadgesTitle')}</h2>
        <p class="hint">{t('welcomeBadgesHint')}</p>
        <BadgeLegend t={t} />
        {shortcut && (
          <p class="shortcut" data-shortcut={shortcut}>
            {t('welcomeShortcut', [shortcut])}
          </p>
        )}
      </section>

      <PrivacySection t={t} />

      <p class="welcome-done">{t('welcomeDone')}</p>
    </main>
  );
}
