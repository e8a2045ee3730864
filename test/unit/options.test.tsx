// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { OptionsApp } from '../../src/options/app';
import { mockConnector } from './mock-connector';

afterEach(cleanup);

async function renderOptions(contacts: unknown = [], connector = mockConnector({}, contacts)) {
  const view = render(<OptionsApp connector={connector} />);
  await waitFor(() => expect(view.container.querySelector('select[name="primary"]')).not.toBeNull());
  const root = view.container as HTMLElement;
  const section = (id: string) => root.querySelector(`[data-section="${id}"]`) as HTMLElement;
  return { connector, root, section };
}

const updates = (calls: readonly string[]) =>
  calls
    .filter((c) => c.startsWith('update-settings '))
    .map((c) => JSON.parse(c.slice('update-settings '.length)));

const order = (root: HTMLElement) =>
  [...root.querySelectorAll('[data-fallback-option]')].map((li) => li.getAttribute('data-fallback-option'));

function fileOf(text: string, name = 'contacts.json'): File {
  return new File([text], name, { type: 'application/json' });
}

async function chooseFile(root: HTMLElement, file: File) {
  const input = await waitFor(() => {
    const found = root.querySelector<HTMLInputElement>('input[type="file"][accept^="application/json"]');
    if (!found) throw new Error('no file input yet');
    return found;
  });
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  fireEvent.change(input);
}

describe('options page', () => {
  it('saves a new primary app and says so', async () => {
    const { connector, root, section } = await renderOptions();
    const select = root.querySelector('select[name="primary"]') as HTMLSelectElement;
    expect(select.value).toBe('whatsapp');
    expect([...select.options].map((o) => o.textContent)).toContain('Microsoft Teams');
    fireEvent.change(select, { target: { value: 'telegram' } });
    await within(section('primary')).findByText('Saved');
    expect(updates(connector.calls)).toEqual([{ primary: 'telegram' }]);
  });

  it('keeps the primary watched and saves the watched list when a service is unticked', async () => {
    const { connector, root } = await renderOptions();
    const primaryBox = root.querySelector('input[name="watch"][value="whatsapp"]') as HTMLInputElement;
    expect(primaryBox.checked).toBe(true);
    expect(primaryBox.disabled).toBe(true);
    const telegram = root.querySelector('input[name="watch"][value="telegram"]') as HTMLInputElement;
    expect(telegram.checked).toBe(true);
    fireEvent.click(telegram);
    await waitFor(() => expect(updates(connector.calls)).toEqual([{ watched: ['whatsapp', 'signal'] }]));
    await waitFor(() => expect(telegram.checked).toBe(false));
  });

  it('lists every channel, ticked ones first, and moves Telegram down with the keyboard button', async () => {
    const { connector, root, section } = await renderOptions();
    expect(order(root)).toEqual([
      'telegram',
      'signal',
      'phone',
      'whatsapp',
      'messenger',
      'instagram',
      'discord',
      'slack',
      'teams',
      'viber',
      'line',
      'imo',
      'zoom',
      'meet',
      'sms',
      'email',
    ]);
    const down = screen.getByRole('button', { name: 'Move Telegram down' });
    down.focus();
    fireEvent.click(down);
    await within(section('fallbacks')).findByText('Saved');
    expect(updates(connector.calls)).toEqual([{ fallbacks: ['signal', 'telegram', 'phone'] }]);
    expect(order(root).slice(0, 3)).toEqual(['signal', 'telegram', 'phone']);
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Move Telegram down');
  });

  it('ticks and unticks fallbacks, and reorders them by drag and drop', async () => {
    const { connector, root } = await renderOptions();
    fireEvent.click(root.querySelector('input[name="fallback"][value="email"]') as HTMLInputElement);
    await waitFor(() => expect(order(root).slice(0, 4)).toEqual(['telegram', 'signal', 'phone', 'email']));
    const item = (id: string) => root.querySelector(`[data-fallback-option="${id}"]`) as HTMLElement;
    fireEvent.dragStart(item('email'));
    fireEvent.dragOver(item('telegram'));
    fireEvent.drop(item('telegram'));
    await waitFor(() => expect(order(root).slice(0, 4)).toEqual(['email', 'telegram', 'signal', 'phone']));
    fireEvent.click(root.querySelector('input[name="fallback"][value="signal"]') as HTMLInputElement);
    await waitFor(() =>
      expect(updates(connector.calls)).toEqual([
        { fallbacks: ['telegram', 'signal', 'phone', 'email'] },
        { fallbacks: ['email', 'telegram', 'signal', 'phone'] },
        { fallbacks: ['email', 'telegram', 'phone'] },
      ]),
    );
  });

  it('explains an invalid feed URL without sending it, and saves a valid one', async () => {
    const { connector, root, section } = await renderOptions();
    const input = root.querySelector('input[name="feedUrl"]') as HTMLInputElement;
    fireEvent.input(input, { target: { value: 'http://feed.example.org/v1' } });
    fireEvent.change(input);
    await screen.findByText(/This is not a valid feed address/);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(updates(connector.calls)).toEqual([]);

    fireEvent.input(input, { target: { value: 'https://feed.example.org/v1' } });
    fireEvent.change(input);
    await within(section('feed')).findByText('Saved');
    expect(updates(connector.calls)).toEqual([{ feedUrl: 'https://feed.example.org/v1' }]);
    expect(screen.queryByText(/This is not a valid feed address/)).toBeNull();
  });

  it('shows the background’s refusal', async () => {
    const connector = mockConnector();
    connector.updateSettings = async () => {
      throw new Error('checkIntervalSeconds: too often');
    };
    const { root, section } = await renderOptions([], connector);
    fireEvent.change(root.querySelector('select[name="checkIntervalSeconds"]') as HTMLSelectElement, {
      target: { value: '30' },
    });
    await within(section('interval')).findByText('Not saved: checkIntervalSeconds: too often');
  });

  it('saves the interval and notifications', async () => {
    const { connector, root } = await renderOptions();
    const interval = root.querySelector('select[name="checkIntervalSeconds"]') as HTMLSelectElement;
    expect([...interval.options].map((o) => o.textContent)).toEqual([
      '30 s',
      '1 min',
      '2 min',
      '5 min',
      '15 min',
    ]);
    fireEvent.change(interval, { target: { value: '300' } });
    fireEvent.click(root.querySelector('input[name="notifications"]') as HTMLInputElement);
    await waitFor(() =>
      expect(updates(connector.calls)).toEqual([{ checkIntervalSeconds: 300 }, { notifications: false }]),
    );
  });

  it('does not save an invalid Telegram handle, and saves the valid ones', async () => {
    const { connector, section } = await renderOptions();
    const handles = section('handles');
    const telegram = within(handles).getByLabelText('Telegram username') as HTMLInputElement;
    fireEvent.input(telegram, { target: { value: 'no' } });
    fireEvent.change(telegram);
    await within(handles).findByText(/Use a Telegram username like @maria_rossi/);
    expect(telegram.getAttribute('aria-invalid')).toBe('true');
    expect(updates(connector.calls)).toEqual([]);

    const email = within(handles).getByLabelText('Email address') as HTMLInputElement;
    fireEvent.input(email, { target: { value: 'me@example.org' } });
    fireEvent.change(email);
    await within(handles).findByText('Saved');
    expect(updates(connector.calls)).toEqual([{ handles: { email: 'me@example.org' } }]);
  });

  it('imports a good contacts file', async () => {
    const { connector, root } = await renderOptions();
    const file = {
      version: 1,
      contacts: [{ name: 'Maria', handles: { telegram: '@maria_rossi' } }, { name: 'Ali' }],
    };
    await chooseFile(root, fileOf(JSON.stringify(file)));
    await screen.findByText('2 contacts imported.');
    expect(screen.queryByText(/could not be read and (was|were) skipped/)).toBeNull();
    await waitFor(() =>
      expect(connector.storedContacts).toEqual([
        { id: 'c1', name: 'Maria', handles: { telegram: '@maria_rossi' } },
        { id: 'c2', name: 'Ali', handles: {} },
      ]),
    );
    expect((screen.getAllByLabelText('Name')[0] as HTMLInputElement).value).toBe('Maria');
  });

  it('imports a file with one bad entry and counts it as skipped', async () => {
    const { connector, root } = await renderOptions();
    await chooseFile(
      root,
      fileOf(JSON.stringify([{ name: 'Maria' }, { name: '' }, { id: 'x', name: 'Ali' }])),
    );
    await screen.findByText('2 contacts imported.');
    await screen.findByText('1 entry could not be read and was skipped.');
    await waitFor(() => expect((connector.storedContacts as unknown[]).length).toBe(2));
  });

  it('refuses a file that is not JSON', async () => {
    const { connector, root } = await renderOptions();
    await chooseFile(root, fileOf('name,phone\nMaria,+39 333', 'contacts.csv'));
    await screen.findByText(/That file could not be read/);
    expect(connector.calls).not.toContain('save-contacts');
  });

  it('edits contacts: adds, keeps invalid handles unsaved, removes', async () => {
    const stored = [{ id: 'a', name: 'Maria', handles: { phone: '+39 333 123 4567' } }];
    const { connector, section } = await renderOptions(stored);
    const contacts = section('contacts');
    await within(contacts).findByDisplayValue('Maria');
    fireEvent.click(within(contacts).getByRole('button', { name: 'Add contact' }));
    const names = within(contacts).getAllByLabelText('Name') as HTMLInputElement[];
    expect(names).toHaveLength(2);
    expect(document.activeElement).toBe(names[1]);
    const name = names[1] as HTMLInputElement;
    fireEvent.input(name, { target: { value: 'Ali' } });
    fireEvent.change(name);
    const emails = within(contacts).getAllByLabelText('Email address') as HTMLInputElement[];
    fireEvent.input(emails[1] as HTMLInputElement, { target: { value: 'not-an-email' } });
    fireEvent.change(emails[1] as HTMLInputElement);
    await within(contacts).findByText(/Use an email address like/);
    await waitFor(() =>
      expect(connector.storedContacts).toEqual([
        { id: 'a', name: 'Maria', handles: { phone: '+39 333 123 4567' } },
        { id: expect.any(String), name: 'Ali', handles: {} },
      ]),
    );
    fireEvent.click(within(contacts).getByRole('button', { name: 'Remove Maria' }));
    await waitFor(() =>
      expect((connector.storedContacts as { name: string }[]).map((c) => c.name)).toEqual(['Ali']),
    );
  });

  it('says when stored contacts were corrupt and keeps the readable ones', async () => {
    await renderOptions([{ name: 'Maria' }, { nope: true }]);
    await screen.findByText('1 saved contact could not be read and was skipped.');
    expect(screen.getByDisplayValue('Maria')).toBeTruthy();
  });

  it('asks for detailed checks from the button and shows the answer', async () => {
    const { connector } = await renderOptions();
    fireEvent.click(screen.getByRole('button', { name: 'Allow detailed checks' }));
    expect(connector.calls).toContain('request-permissions');
    await screen.findByText('Detailed checks are on.');
  });

  it('shows detailed checks as on when they already are', async () => {
    const connector = mockConnector({ settings: { ...DEFAULT_SETTINGS, feedUrl: 'https://f.example.org' } });
    connector.access = { state: 'on', missing: [] };
    const { root } = await renderOptions([], connector);
    await screen.findByText('Detailed checks are on.');
    expect(screen.queryByRole('button', { name: 'Allow detailed checks' })).toBeNull();
    expect((root.querySelector('input[name="feedUrl"]') as HTMLInputElement).value).toBe(
      'https://f.example.org',
    );
  });

  it('uses only logical CSS properties, so the page works right to left', async () => {
    const css = await import('node:fs').then((fs) => fs.readFileSync('src/options/options.css', 'utf8'));
    expect(css).not.toMatch(
      /(margin|padding|border)-(left|right)|\b(left|right)\s*:|text-align:\s*(left|right)/,
    );
  });
});
