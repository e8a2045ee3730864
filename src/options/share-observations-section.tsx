import { useState } from 'preact/hooks';
import { feedObservationUrl } from '../core/settings-edit';
import { useSaveStatus } from './save-status';
import { Section, type SettingsSectionProps } from './section';

/** Why sharing, though on, can send nothing: no feed, or a static feed that takes no posts. */
function idleReason(feedUrl: string): 'shareObservationsNoFeed' | 'shareObservationsReadOnly' | null {
  if (feedUrl === '') return 'shareObservationsNoFeed';
  try {
    return feedObservationUrl(feedUrl) === null ? 'shareObservationsReadOnly' : null;
  } catch {
    return 'shareObservationsNoFeed';
  }
}

/**
 * "Share what my browser sees": off until the user turns it on here (or on the welcome page). Turning
 * it on asks the browser's data consent first (Firefox, from this click); refused, it stays off and
 * says why.
 */
export function ShareObservationsSection({
  settings,
  t,
  save,
  askConsent,
}: SettingsSectionProps & { askConsent: () => Promise<boolean> }) {
  const { status, track } = useSaveStatus();
  const [refused, setRefused] = useState(false);
  const idle = idleReason(settings.feedUrl);

  const change = (input: HTMLInputElement) => {
    setRefused(false);
    if (!input.checked) {
      void track(save({ shareObservations: false }));
      return;
    }
    // Asked at once, inside the click: browsers show the prompt only during a user gesture.
    const asked = askConsent();
    // Off until the browser and the save say otherwise.
    input.checked = false;
    void asked
      .catch(() => false)
      .then((ok) => {
        if (ok) void track(save({ shareObservations: true }));
        else setRefused(true);
      });
  };

  return (
    <Section id="share-observations" title={t('shareObservationsTitle')} status={status} t={t}>
      <label class="switch">
        <input
          type="checkbox"
          name="shareObservations"
          checked={settings.shareObservations}
          aria-describedby="share-observations-hint"
          onChange={(e) => change(e.currentTarget)}
        />{' '}
        {t('shareObservationsLabel')}
      </label>
      <p class="hint" id="share-observations-hint">
        {t('shareObservationsHint')}
      </p>
      {idle && (
        <p class="hint" data-share-idle={idle === 'shareObservationsNoFeed' ? 'no-feed' : 'read-only'}>
          {t(idle)}
        </p>
      )}
      {refused && (
        <p class="error" role="alert" data-share-refused>
          {t('shareObservationsNoConsent')}
        </p>
      )}
    </Section>
  );
}
