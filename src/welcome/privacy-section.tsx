import type { Translate } from '../core/format';
import type { MessageKey } from '../core/messages';

const SENT: readonly MessageKey[] = ['privacyProbes', 'privacyStatus', 'privacyFeed', 'privacyObservations'];
const NEVER: readonly MessageKey[] = ['privacyNeverBrowsing', 'privacyNeverMessages', 'privacyNeverContacts'];

/** What Detour sends (and to whom), and what it never sends: the short form of PRIVACY.md. */
export function PrivacySection({ t }: { t: Translate }) {
  return (
    <section class="part" id="privacy" data-part="privacy" aria-labelledby="privacy-title">
      <h2 id="privacy-title">{t('privacyTitle')}</h2>
      <div class="privacy">
        <div data-privacy="sent">
          <h3>{t('privacySentTitle')}</h3>
          <ul>
            {SENT.map((key) => (
              <li key={key}>{t(key)}</li>
            ))}
          </ul>
        </div>
        <div data-privacy="never">
          <h3>{t('privacyNeverTitle')}</h3>
          <ul>
            {NEVER.map((key) => (
              <li key={key}>{t(key)}</li>
            ))}
          </ul>
          <p class="hint">{t('privacyLocal')}</p>
        </div>
      </div>
    </section>
  );
}
