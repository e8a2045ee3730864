import { useState } from 'preact/hooks';
import type { Translate } from '../core/format';
import { type ServiceId, serviceName } from '../core/services';
import type { Settings } from '../core/settings';
import { statusPageProblem } from '../core/settings';
import { useSaveStatus } from './save-status';
import { Section, type SettingsSectionProps } from './section';

type StatusPages = Settings['statusPages'];
type Drafts = Partial<Record<ServiceId, string>>;

/** The address as stored: trimmed, or undefined when empty or not a Statuspage v2 address. */
export function validStatusPage(value: string): string | undefined {
  const url = value.trim();
  return url !== '' && statusPageProblem(url) === null ? url : undefined;
}

const invalid = (value: string) => value.trim() !== '' && validStatusPage(value) === undefined;

/**
 * An extra official status page per watched service. Only valid, non-empty addresses are saved; a
 * field that holds an invalid one keeps its last saved address until it is fixed or emptied, and
 * pages of services no longer watched are kept for when they are watched again.
 */
export function StatusPagesSection({ settings, t, save }: SettingsSectionProps) {
  const { status, track } = useSaveStatus();
  const [drafts, setDrafts] = useState<Drafts>(() => ({ ...settings.statusPages }));

  const commit = (id: ServiceId, value: string) => {
    const next = { ...drafts, [id]: value };
    setDrafts(next);
    // The field just left is invalid: nothing new to save, and the message says why.
    if (invalid(value)) return;
    void track(save({ statusPages: statusPagesOf(next, settings.statusPages) }));
  };

  return (
    <Section
      id="status-pages"
      title={t('statusPagesLabel')}
      hint={t('statusPagesHint')}
      status={status}
      t={t}
    >
      <div class="status-pages">
        {settings.watched.map((id) => (
          <StatusPageField
            key={id}
            id={id}
            name={serviceName(id, settings.customApps)}
            value={drafts[id] ?? ''}
            t={t}
            onInput={(value) => setDrafts({ ...drafts, [id]: value })}
            onCommit={(value) => commit(id, value)}
          />
        ))}
      </div>
    </Section>
  );
}

/** One address field; its problem shows once the user has left it, then follows the value. */
function StatusPageField(props: {
  id: ServiceId;
  name: string;
  value: string;
  t: Translate;
  onInput: (value: string) => void;
  onCommit: (value: string) => void;
}) {
  const { id, name, value, t, onInput, onCommit } = props;
  const [left, setLeft] = useState(false);
  const error = left && invalid(value);
  const fieldId = `status-page-${id}`;
  return (
    <div class="field">
      <label for={fieldId}>{name}</label>
      <input
        id={fieldId}
        type="url"
        name="statusPage"
        data-service={id}
        dir="ltr"
        inputMode="url"
        autocomplete="off"
        spellcheck={false}
        placeholder="https://…/api/v2/summary.json"
        value={value}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${fieldId}-error` : undefined}
        onInput={(e) => onInput(e.currentTarget.value)}
        onChange={(e) => {
          setLeft(true);
          onCommit(e.currentTarget.value);
        }}
        onBlur={() => setLeft(true)}
      />
      {error && (
        <p class="error field-error" id={`${fieldId}-error`}>
          {t('statusPageInvalid')}
        </p>
      )}
    </div>
  );
}

/** The pages to store: valid drafts, and the saved address where a draft is invalid or missing. */
function statusPagesOf(drafts: Drafts, saved: StatusPages): StatusPages {
  const out: Partial<Record<ServiceId, string>> = {};
  const ids = new Set([...Object.keys(saved), ...Object.keys(drafts)] as ServiceId[]);
  for (const id of ids) {
    const draft = drafts[id];
    const url =
      draft === undefined
        ? saved[id]
        : draft.trim() === ''
          ? undefined
          : (validStatusPage(draft) ?? saved[id]);
    if (url !== undefined) out[id] = url;
  }
  return out;
}
