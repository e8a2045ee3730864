// @vitest-environment happy-dom
// Ready before the outage on the settings and welcome pages, and the popup's way out that fits the
// problem: the family group, and the phone first when most reports are about calls.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import ar from '../../_locales/ar/messages.json';
import en from '../../_locales/en/messages.json';
import type { Contact } from '../../src/core/contacts';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import type { Snapshot } from '../../src/core/snapshot';
import { translatorFor } from '../../src/core/translate';
import { OptionsApp } from '../../src/options/app';
import { ReadinessSection } from '../../src/options/readiness-section';
import { PopupApp } from '../../src/popup/app';
import { popupExtras } from '../../src/popup/extras';
import type { Problem } from '../../src/shared/feed';
import { WelcomeApp } from '../../src/welcome/app';
import { MIN, serviceState } from './helpers';
import { checkedSnapshot, EMPTY_SNAPSHOT, mockConnector } from './mock-connector';

afterEach(cleanup);

const SIGNAL_GROUP =
  'https://signal.group/#CjQKIAtcbUw482i7bqvmJCwdgvg0FMif52N6JyDbdThy55EtEhA43G4JqQEJY9Mx4O8QMakv';
const CONTACTS: Contact[] = [
  { id: 'maria', name: 'Maria', handles: { whatsapp: '+39 333 123 4567' } },
  { id: 'fam', name: 'Family', handles: {}, group: SIGNAL_GROUP },
];
const attrs = (root: ParentNode, name: string) =>
  [...root.querySelectorAll(`[${name}]`)].map((e) => e.getAttribute(name));

describe('readiness on the settings page', () => {
  it('lists stranded contacts, fallbacks without a handle and where to get each app, and follows edits', async () => {
    const view = render(<OptionsApp connector={mockConnector({}, CONTACTS)} />);
    const readiness = await waitFor(() => {
      const found = view.container.querySelector<HTMLElement>('[data-section="readiness"]');
      if (!found) throw new Error('no readiness yet');
      return found;
    });
    expect(readiness.querySelector('[data-readiness]')?.getAttribute('data-readiness')).toBe('missing');
    expect(readiness.textContent).toContain('1 contact can only be reached on WhatsApp:');
    expect(attrs(readiness, 'data-stranded-contact')).toEqual(['maria']);
    expect(attrs(readiness, 'data-missing-handle')).toEqual(['telegram', 'signal', 'phone']);
    expect(attrs(readiness, 'data-get-app')).toEqual(['telegram', 'signal']);
    expect(readiness.querySelector('[data-get-app="signal"]')?.getAttribute('href')).toBe(
      'https://signal.org/download/',
    );

    // Maria gets a phone number: she is no longer stranded once it is saved.
    const contacts = view.container.querySelector('[data-section="contacts"]') as HTMLElement;
    const maria = contacts.querySelector('[data-contact-id="maria"]') as HTMLElement;
    fireEvent.change(within(maria).getByLabelText('Phone number'), { target: { value: '+39 06 1234 5678' } });
    await waitFor(() => expect(attrs(readiness, 'data-stranded-contact')).toEqual([]));
  });

  it('takes a group invite link on a contact, and says in words why another link is refused', async () => {
    const connector = mockConnector({}, [{ id: 'fam', name: 'Family', handles: {} }]);
    const view = render(<OptionsApp connector={connector} />);
    const field = (await within(view.container as HTMLElement).findByLabelText(
      'Backup group invite link (Signal or Telegram)',
    )) as HTMLInputElement;
    fireEvent.change(field, { target: { value: 'https://t.me/family_chat' } });
    await screen.findByText(/This is not a Signal or Telegram group invite/);
    fireEvent.change(field, { target: { value: 'our family group' } });
    await screen.findByText(/Paste the group’s invite link/);
    fireEvent.change(field, { target: { value: SIGNAL_GROUP } });
    await waitFor(() =>
      expect(connector.storedContacts).toEqual([
        { id: 'fam', name: 'Family', handles: {}, group: SIGNAL_GROUP },
      ]),
    );
    expect(view.container.querySelector('.field-error')).toBeNull();
  });

  it('says the user is ready when nothing is missing, and asks for contacts when there are none', () => {
    const settings = {
      ...DEFAULT_SETTINGS,
      fallbacks: ['telegram' as const],
      handles: { telegram: 'me_here' },
    };
    const t = translatorFor(en);
    const ready = render(
      <ReadinessSection settings={settings} contacts={CONTACTS.slice(1)} t={t} locale="en" />,
    );
    expect(ready.container.querySelector('[data-readiness="ready"]')?.textContent).toContain('You are ready');
    cleanup();
    const empty = render(<ReadinessSection settings={settings} contacts={[]} t={t} locale="en" />);
    expect(empty.container.textContent).toContain('Add the people you would need to reach');
  });

  it('counts stranded contacts with Arabic plural forms', () => {
    const t = translatorFor(ar);
    const two = [0, 1].map((i) => ({ id: `c${i}`, name: `N${i}`, handles: {} }));
    const view = render(<ReadinessSection settings={DEFAULT_SETTINGS} contacts={two} t={t} locale="ar" />);
    expect(view.container.textContent).toContain('جهتا اتصال لا يمكن الوصول إليهما إلا عبر WhatsApp');
  });
});

describe('readiness on the welcome page', () => {
  it('shows the same list under the fallbacks', async () => {
    const view = render(<WelcomeApp connector={mockConnector({}, CONTACTS)} />);
    await waitFor(() => expect(attrs(view.container, 'data-stranded-contact')).toEqual(['maria']));
    expect(attrs(view.container, 'data-get-app')).toEqual(['telegram', 'signal']);
  });
});

function whatsappDown(problems: Partial<Record<Problem, number>> | null, signal = 'up'): Snapshot {
  const since = EMPTY_SNAPSHOT.now - 12 * MIN;
  return {
    ...checkedSnapshot({
      whatsapp: serviceState({ status: 'down', since }),
      telegram: serviceState({ status: 'up', since }),
      signal: serviceState({ status: signal === 'up' ? 'up' : 'down', since }),
    }),
    crowd: problems && {
      feed: {
        version: 1,
        generatedAt: new Date(EMPTY_SNAPSHOT.now).toISOString(),
        bucketMinutes: 15,
        services: {
          whatsapp: { level: 'outage', recent: 90, baseline: 5, series: [], problems, countries: {} },
        },
      },
      problem: null,
      fetchedAt: EMPTY_SNAPSHOT.now,
    },
  };
}

async function popup(s: Snapshot, contacts: unknown = []) {
  const view = render(<PopupApp connector={mockConnector(s, contacts)} extras={popupExtras} />);
  await waitFor(() => expect(view.container.querySelector('[data-fallback]')).not.toBeNull());
  return view.container as HTMLElement;
}

describe('the way out fits the problem', () => {
  it.each<[string, Partial<Record<Problem, number>> | null, string | null, string[]]>([
    ['no feed: the user order', null, null, ['telegram', 'signal', 'phone']],
    ['mostly calls: the phone first', { calls: 60, messages: 10 }, 'calls', ['phone', 'telegram', 'signal']],
    [
      'mostly messages: messengers first',
      { messages: 60, calls: 5 },
      'messages',
      ['telegram', 'signal', 'phone'],
    ],
    ['too few reports: nothing claimed', { calls: 9 }, null, ['telegram', 'signal', 'phone']],
  ])('%s', async (_, problems, focus, ranked) => {
    const root = await popup(whatsappDown(problems));
    expect(attrs(root, 'data-fallback')).toEqual(ranked);
    expect(root.querySelector('[data-problem-focus]')?.getAttribute('data-problem-focus') ?? null).toBe(
      focus,
    );
  });

  it('says "Most reports are about calls; messages may still get through"', async () => {
    const root = await popup(whatsappDown({ calls: 60, messages: 10 }));
    expect(root.querySelector('[data-problem-focus]')?.textContent).toBe(
      'Most reports are about calls; messages may still get through.',
    );
  });

  it('offers the family group on Signal, one click away, unless Signal is down too', async () => {
    const root = await popup(whatsappDown(null), CONTACTS);
    const link = await waitFor(() => {
      const found = root.querySelector('[data-group="fam"]');
      if (!found) throw new Error('no group yet');
      return found;
    });
    expect(link.textContent).toBe('Open the Family group on Signal');
    expect(link.getAttribute('href')).toBe(SIGNAL_GROUP);
    expect(link.getAttribute('data-group-app')).toBe('signal');
    cleanup();
    const signalDown = await popup(whatsappDown(null, 'down'), CONTACTS);
    await waitFor(() => expect(signalDown.querySelector('[data-fallback="telegram"]')).not.toBeNull());
    expect(signalDown.querySelector('[data-group]')).toBeNull();
  });
});
