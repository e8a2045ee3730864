import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Contact } from '../core/contacts';
import { plural, type Translate } from '../core/format';
import type { Connector } from '../ui/connector';
import { messageOf } from '../ui/message-of';
import { type ContactDraft, emptyDraft, fromDrafts, mergeImported, toDraft } from './contact-drafts';
import { ContactEditor } from './contact-editor';
import { ContactsFile } from './contacts-file';
import { useSaveStatus } from './save-status';
import { Section } from './section';

/**
 * People to reach on another channel. Saved on every change; invalid handles stay unsaved. The list
 * as saved goes to `onSaved` too (the readiness section follows it).
 */
export function ContactsSection(props: {
  connector: Connector;
  t: Translate;
  onSaved?: (contacts: readonly Contact[]) => void;
}) {
  const { connector, t, onSaved } = props;
  const { status, track } = useSaveStatus();
  const [drafts, setDrafts] = useState<readonly ContactDraft[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [dropped, setDropped] = useState(0);
  const [loadError, setLoadError] = useState<string | null>(null);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const focusName = useRef<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  // Imports finish after the file is read: merge into the list as it is then, not as it was.
  const latest = useRef(drafts);
  latest.current = drafts;

  useEffect(() => {
    connector.loadContacts().then(
      (r) => {
        setDrafts(r.contacts.map(toDraft));
        onSaved?.(r.contacts);
        setDropped(r.dropped);
        setLoaded(true);
      },
      (e: unknown) => setLoadError(messageOf(e)),
    );
  }, [connector]);

  // A new contact takes focus on its name; a removed one hands focus to the add button.
  useLayoutEffect(() => {
    const id = focusName.current;
    if (id === null || !root.current) return;
    focusName.current = null;
    const target =
      id === ''
        ? root.current.querySelector<HTMLElement>('[data-action="add-contact"]')
        : document.getElementById(`contact-${id}-name`);
    target?.focus();
  });

  /** Saves in order: a slow save never lands after a newer one. */
  const persist = (next: readonly ContactDraft[]) => {
    setDrafts(next);
    const contacts = fromDrafts(next);
    onSaved?.(contacts);
    const run = queue.current.then(() => connector.saveContacts(contacts));
    queue.current = run.catch(() => undefined);
    void track(run);
  };

  const replace = (draft: ContactDraft) => drafts.map((d) => (d.id === draft.id ? draft : d));

  const add = () => {
    const draft = emptyDraft(drafts);
    focusName.current = draft.id;
    setDrafts([...drafts, draft]);
  };

  const importContacts = (imported: readonly Contact[]) => persist(mergeImported(latest.current, imported));

  return (
    <Section id="contacts" title={t('contactsLabel')} hint={t('contactsHint')} status={status} t={t}>
      <div ref={root} class="contacts-body" aria-busy={!loaded && !loadError}>
        {dropped > 0 && <p class="hint warn">{plural(t, connector.locale, 'contactsDropped', dropped)}</p>}
        {loadError && (
          <p class="error" role="alert">
            {t('errorMessage', [loadError])}
          </p>
        )}
        {loaded && (
          <>
            <ul class="contact-list">
              {drafts.map((draft) => (
                <ContactEditor
                  key={draft.id}
                  draft={draft}
                  t={t}
                  onInput={(d) => setDrafts(replace(d))}
                  onCommit={(d) => persist(replace(d))}
                  onRemove={() => {
                    focusName.current = '';
                    persist(drafts.filter((d) => d.id !== draft.id));
                  }}
                />
              ))}
            </ul>
            <button type="button" data-action="add-contact" onClick={add}>
              {t('addContact')}
            </button>
            <ContactsFile
              contacts={fromDrafts(drafts)}
              t={t}
              locale={connector.locale}
              onImport={importContacts}
            />
          </>
        )}
      </div>
    </Section>
  );
}
