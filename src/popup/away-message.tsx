import { useState } from 'preact/hooks';
import type { Translate } from '../core/format';

/** The ready-made message to paste into a status, an email signature or a shop window. */
export function AwayMessage(props: {
  text: string | null;
  t: Translate;
  copy: (text: string) => Promise<void>;
}) {
  const { text, t } = props;
  const [copied, setCopied] = useState(false);
  return (
    <section class="away" aria-labelledby="away-title">
      <h2 id="away-title">{t('awayTitle')}</h2>
      {text ? (
        <div class="away-box">
          <p class="away-text">{text}</p>
          <button
            type="button"
            data-action="copy-away"
            onClick={() =>
              props.copy(text).then(
                () => setCopied(true),
                () => setCopied(false),
              )
            }
          >
            {copied ? t('copied') : t('copy')}
          </button>
        </div>
      ) : (
        <p class="hint">{t('awayEmpty')}</p>
      )}
    </section>
  );
}
