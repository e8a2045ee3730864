import { useState } from 'preact/hooks';
import { feedUrlProblem } from '../core/settings';
import { useSaveStatus } from './save-status';
import { Section, type SettingsSectionProps } from './section';

const isValid = (url: string) => url === '' || feedUrlProblem(url) === null;

/** The crowd-report feed: checked here first, so a bad address is explained and never sent. */
export function FeedUrlSection({ settings, t, save }: SettingsSectionProps) {
  const { status, track, reset } = useSaveStatus();
  const [draft, setDraft] = useState(settings.feedUrl);
  const [invalid, setInvalid] = useState(false);

  const commit = (value: string) => {
    const url = value.trim();
    if (!isValid(url)) {
      setInvalid(true);
      reset();
      return;
    }
    setInvalid(false);
    void track(save({ feedUrl: url }));
  };

  return (
    <Section id="feed" title={t('feedUrlLabel')} hint={t('feedUrlHint')} status={status} t={t}>
      <input
        type="url"
        name="feedUrl"
        dir="ltr"
        inputMode="url"
        autocomplete="off"
        spellcheck={false}
        placeholder="https://"
        aria-labelledby="feed-legend"
        value={draft}
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby={invalid ? 'feed-error' : undefined}
        onInput={(e) => {
          const value = e.currentTarget.value;
          setDraft(value);
          if (invalid && isValid(value.trim())) setInvalid(false);
        }}
        onChange={(e) => commit(e.currentTarget.value)}
      />
      {invalid && (
        <p class="error" id="feed-error" role="alert">
          {t('feedUrlInvalid')}
        </p>
      )}
      <label class="switch">
        <input
          type="checkbox"
          name="shareCountry"
          checked={settings.shareCountry}
          aria-describedby="share-country-hint"
          onChange={(e) => void track(save({ shareCountry: e.currentTarget.checked }))}
        />
        {t('shareCountryLabel')}
      </label>
      <p class="hint" id="share-country-hint">
        {t('shareCountryHint')}
      </p>
    </Section>
  );
}
