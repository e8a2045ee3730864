import { useState } from 'preact/hooks';
import { HANDLE_CHANNELS, type HandleChannel, type Handles } from '../core/contacts';
import { HandleField, validHandle } from './handle-field';
import { useSaveStatus } from './save-status';
import { Section, type SettingsSectionProps } from './section';

type Drafts = Record<HandleChannel, string>;

/**
 * The user's own handles, for the away message. Only valid, non-empty handles are saved; a field
 * that holds an invalid value keeps its last saved handle until it is fixed or emptied.
 */
export function HandlesSection({ settings, t, save }: SettingsSectionProps) {
  const { status, track } = useSaveStatus();
  const [drafts, setDrafts] = useState<Drafts>(() => draftsOf(settings.handles));

  const commit = (channel: HandleChannel, value: string) => {
    const next = { ...drafts, [channel]: value };
    setDrafts(next);
    // The field just left is invalid: nothing new to save, and the message says why.
    if (value.trim() !== '' && validHandle(channel, value) === undefined) return;
    void track(save({ handles: handlesOf(next, settings.handles) }));
  };

  return (
    <Section id="handles" title={t('handlesLabel')} hint={t('handlesHint')} status={status} t={t}>
      <div class="grid">
        {HANDLE_CHANNELS.map((channel) => (
          <HandleField
            key={channel}
            id={`handle-${channel}`}
            channel={channel}
            value={drafts[channel]}
            t={t}
            onInput={(value) => setDrafts({ ...drafts, [channel]: value })}
            onCommit={(value) => commit(channel, value)}
          />
        ))}
      </div>
    </Section>
  );
}

function draftsOf(handles: Handles): Drafts {
  return Object.fromEntries(HANDLE_CHANNELS.map((c) => [c, handles[c] ?? ''])) as Drafts;
}

/** The handles to store: valid drafts, and the saved value where a draft is invalid. */
function handlesOf(drafts: Drafts, saved: Handles): Handles {
  const out: Handles = {};
  for (const channel of HANDLE_CHANNELS) {
    const draft = drafts[channel];
    const handle = draft.trim() === '' ? undefined : (validHandle(channel, draft) ?? saved[channel]);
    if (handle !== undefined) out[channel] = handle;
  }
  return out;
}
