import { groupLinkProblem } from '../core/backup-group';
import { HANDLE_CHANNELS, type HandleChannel } from '../core/contacts';
import type { Translate } from '../core/format';
import type { ContactDraft } from './contact-drafts';
import { CheckedField, HandleField } from './handle-field';

/**
 * One contact: a name, a handle per channel and a backup group's invite link. Edits are kept as
 * typed; leaving a field saves.
 */
export function ContactEditor(props: {
  draft: ContactDraft;
  t: Translate;
  onInput: (draft: ContactDraft) => void;
  onCommit: (draft: ContactDraft) => void;
  onRemove: () => void;
}) {
  const { draft, t, onInput, onCommit, onRemove } = props;
  const prefix = `contact-${draft.id}`;
  const label = draft.name.trim() || t('contactName');
  const withHandle = (channel: HandleChannel, value: string): ContactDraft => ({
    ...draft,
    handles: { ...draft.handles, [channel]: value },
  });
  return (
    <li class="contact" data-contact-id={draft.id}>
      <fieldset>
        <legend>{label}</legend>
        <div class="field">
          <label for={`${prefix}-name`}>{t('contactName')}</label>
          <input
            id={`${prefix}-name`}
            name="name"
            type="text"
            required
            maxLength={80}
            autocomplete="off"
            value={draft.name}
            onInput={(e) => onInput({ ...draft, name: e.currentTarget.value })}
            onChange={(e) => onCommit({ ...draft, name: e.currentTarget.value })}
          />
        </div>
        <div class="grid">
          {HANDLE_CHANNELS.map((channel) => (
            <HandleField
              key={channel}
              id={`${prefix}-${channel}`}
              channel={channel}
              value={draft.handles[channel]}
              t={t}
              onInput={(value) => onInput(withHandle(channel, value))}
              onCommit={(value) => onCommit(withHandle(channel, value))}
            />
          ))}
        </div>
        <CheckedField
          id={`${prefix}-group`}
          name="group"
          type="url"
          label={t('groupLinkLabel')}
          value={draft.group}
          problem={(value) => GROUP_LINK_ERRORS[groupLinkProblem(value) ?? 'none']}
          t={t}
          onInput={(group) => onInput({ ...draft, group })}
          onCommit={(group) => onCommit({ ...draft, group })}
        />
        <button type="button" class="remove" data-action="remove-contact" onClick={onRemove}>
          {t('removeContact', [label])}
        </button>
      </fieldset>
    </li>
  );
}

const GROUP_LINK_ERRORS = {
  none: null,
  'not-a-link': 'invalidGroupLink',
  'not-an-invite': 'unknownGroupLink',
} as const;
