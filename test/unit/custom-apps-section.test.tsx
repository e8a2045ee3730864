// @vitest-environment happy-dom
// The settings form for the user's own apps: errors per field for bad input, an app added and watched,
// offered as primary and as a fallback, and removed from everything.
import { cleanup, fireEvent, render, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { OptionsApp } from '../../src/options/app';
import { MY_BANK } from './helpers';
import { mockConnector } from './mock-connector';

afterEach(cleanup);

async function renderOptions() {
  const connector = mockConnector({});
  const view = render(<OptionsApp connector={connector} />);
  await waitFor(() => expect(view.container.querySelector('[data-action="add-custom"]')).not.toBeNull());
  const root = view.container as HTMLElement;
  const section = root.querySelector('[data-section="custom-apps"]') as HTMLElement;
  const type = (name: string, value: string) =>
    fireEvent.input(root.querySelector(`input[name="${name}"]`) as HTMLInputElement, { target: { value } });
  const errors = () =>
    Object.fromEntries(
      [...section.querySelectorAll('[data-error-for]')].map((e) => [
        e.getAttribute('data-error-for'),
        e.textContent,
      ]),
    );
  const add = () => fireEvent.click(root.querySelector('[data-action="add-custom"]') as HTMLButtonElement);
  return { connector, root, section, type, errors, add };
}

const updates = (calls: readonly string[]) =>
  calls
    .filter((c) => c.startsWith('update-settings '))
    .map((c) => JSON.parse(c.slice('update-settings '.length)));

describe('your own apps in the settings', () => {
  it('says what is wrong with each field and saves nothing', async () => {
    const { connector, type, errors, add } = await renderOptions();
    type('customName', 'WhatsApp');
    type('customUrl', 'http://bank.example/');
    type('customStatusUrl', 'https://status.bank.example/');
    add();
    await waitFor(() =>
      expect(errors()).toEqual({
        customName: 'You already have an app with this name or address.',
        customUrl: 'The address must start with https://.',
        customStatusUrl: 'A Statuspage address ends in /api/v2/summary.json or /api/v2/status.json.',
      }),
    );
    expect(updates(connector.calls)).toEqual([]);
  });

  it('adds an app, watches it, offers it as primary and fallback, then removes it from everything', async () => {
    const { connector, root, section, type, errors, add } = await renderOptions();
    type('customName', 'My Bank');
    type('customUrl', 'https://bank.example');
    add();
    await within(section).findByText('Saved');
    expect(errors()).toEqual({});
    expect(updates(connector.calls)).toEqual([
      {
        customApps: [MY_BANK],
        watched: ['whatsapp', 'telegram', 'signal', 'custom-my-bank'],
      },
    ]);
    await waitFor(() =>
      expect(root.querySelector('input[name="watch"][value="custom-my-bank"]')).not.toBeNull(),
    );
    expect(
      (root.querySelector('input[name="watch"][value="custom-my-bank"]') as HTMLInputElement).checked,
    ).toBe(true);
    expect(root.querySelector('select[name="primary"] option[value="custom-my-bank"]')?.textContent).toBe(
      'My Bank',
    );
    expect(root.querySelector('[data-fallback-option="custom-my-bank"]')).not.toBeNull();
    expect((root.querySelector('input[name="customName"]') as HTMLInputElement).value).toBe('');

    fireEvent.click(root.querySelector('input[name="fallback"][value="custom-my-bank"]') as HTMLInputElement);
    await waitFor(() => expect(updates(connector.calls)).toHaveLength(2));
    fireEvent.click(
      section.querySelector('[data-action="remove-custom"][data-service="custom-my-bank"]') as HTMLElement,
    );
    await waitFor(() => expect(updates(connector.calls)).toHaveLength(3));
    expect(updates(connector.calls)[2]).toEqual({
      customApps: [],
      watched: ['whatsapp', 'telegram', 'signal'],
      fallbacks: ['telegram', 'signal', 'phone'],
    });
    await waitFor(() => expect(root.querySelector('input[name="watch"][value="custom-my-bank"]')).toBeNull());
  });
});
