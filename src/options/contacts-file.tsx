import { useState } from 'preact/hooks';
import { type Contact, type ContactsReadResult, exportContacts, readContacts } from '../core/contacts';
import { plural, type Translate } from '../core/format';

export const EXPORT_FILE_NAME = 'detour-contacts.json';

/** Reads an import file: null when it is not JSON or not a list of contacts at all. */
export function parseContactsFile(text: string): ContactsReadResult | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const list = Array.isArray(raw) ? raw : (raw as { contacts?: unknown } | null)?.contacts;
  return Array.isArray(list) ? readContacts(raw) : null;
}

type Outcome = { kind: 'none' } | { kind: 'done'; count: number; skipped: number } | { kind: 'failed' };

/** Import from and export to a JSON file; the file never leaves this device. */
export function ContactsFile(props: {
  contacts: readonly Contact[];
  t: Translate;
  locale: string;
  onImport: (contacts: readonly Contact[]) => void;
}) {
  const { contacts, t, locale, onImport } = props;
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'none' });

  const importFile = (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    file.text().then(
      (text) => {
        const result = parseContactsFile(text);
        if (!result) setOutcome({ kind: 'failed' });
        else {
          onImport(result.contacts);
          setOutcome({ kind: 'done', count: result.contacts.length, skipped: result.dropped });
        }
      },
      () => setOutcome({ kind: 'failed' }),
    );
    // Let the same file be chosen again after it is fixed.
    input.value = '';
  };

  const exportFile = () => {
    const url = URL.createObjectURL(new Blob([exportContacts(contacts)], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = EXPORT_FILE_NAME;
    link.rel = 'noopener';
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return (
    <div class="contacts-file">
      <div class="row">
        <label class="button file-button">
          {t('importContacts')}
          <input
            type="file"
            name="import"
            accept="application/json,.json"
            class="visually-hidden"
            onChange={(e) => importFile(e.currentTarget)}
          />
        </label>
        <button type="button" data-action="export-contacts" onClick={exportFile}>
          {t('exportContacts')}
        </button>
      </div>
      <div role="status" class="import-status">
        {outcome.kind === 'done' && <p class="ok">{plural(t, locale, 'importDone', outcome.count)}</p>}
        {outcome.kind === 'done' && outcome.skipped > 0 && (
          <p class="hint">{plural(t, locale, 'importSkipped', outcome.skipped)}</p>
        )}
        {outcome.kind === 'failed' && <p class="error">{t('importFailed')}</p>}
      </div>
    </div>
  );
}
