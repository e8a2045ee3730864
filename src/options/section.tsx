import type { ComponentChildren } from 'preact';
import type { Translate } from '../core/format';
import type { Settings } from '../core/settings';
import type { SettingsPatch } from '../shared/protocol';
import { type SaveStatus, SaveStatusView } from './save-status';

/** One labelled group of the page: a fieldset with its legend, an optional hint and its save state. */
export function Section(props: {
  id: string;
  title: string;
  hint?: string;
  status?: SaveStatus;
  t: Translate;
  children: ComponentChildren;
}) {
  const { id, title, hint, status, t, children } = props;
  return (
    <fieldset class="section" data-section={id} aria-describedby={hint ? `${id}-hint` : undefined}>
      <legend id={`${id}-legend`}>{title}</legend>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {children}
      {status && <SaveStatusView status={status} t={t} />}
    </fieldset>
  );
}

/** What every settings section receives: the current settings and a way to save a patch of them. */
export interface SettingsSectionProps {
  readonly settings: Settings;
  readonly t: Translate;
  /** Sends the patch to the background; rejects with its error (e.g. "feedUrl: not a URL"). */
  readonly save: (patch: SettingsPatch) => Promise<unknown>;
}
