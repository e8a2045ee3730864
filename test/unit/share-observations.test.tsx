// @vitest-environment happy-dom
// "Share what my browser sees": the opt-in on the options page and the welcome page (the same
// section), off until the user turns it on, through the browser's data consent where there is one.
import { cleanup, fireEvent, render, waitFor, within } from '@testing-library/preact';
import type { ComponentChild } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { OptionsApp } from '../../src/options/app';
import type { Connector } from '../../src/ui/connector';
import { WelcomeApp } from '../../src/welcome/app';
import { type MockConnector, mockConnector } from './mock-connector';

afterEach(cleanup);

const PAGES: readonly [string, (connector: Connector) => ComponentChild][] = [
  ['options page', (connector) => <OptionsApp connector={connector} />],
  ['welcome page', (connector) => <WelcomeApp connector={connector} />],
];

async function renderPage(page: (connector: Connector) => ComponentChild, feedUrl = '') {
  const connector = mockConnector({ settings: { ...DEFAULT_SETTINGS, feedUrl } });
  const view = render(page(connector));
  const box = await waitFor(() => {
    const found = view.container.querySelector<HTMLInputElement>('input[name="shareObservations"]');
    if (!found) throw new Error('no checkbox yet');
    return found;
  });
  const section = view.container.querySelector('[data-section="share-observations"]') as HTMLElement;
  return { connector, box, section };
}

const updates = (connector: MockConnector) =>
  connector.calls
    .filter((c) => c.startsWith('update-settings '))
    .map((c) => JSON.parse(c.slice('update-settings '.length)));

describe.each(PAGES)('sharing observations on the %s', (_name, page) => {
  it('is off until the user turns it on, in plain words, and says it needs a feed when none is set', async () => {
    const { box, section } = await renderPage(page);
    expect(box.checked).toBe(false);
    expect(section.textContent).toContain('Share what my browser sees (which apps answer, nothing else)');
    expect(section.textContent).toContain('Nothing about your pages, contacts or accounts is sent.');
    expect(section.querySelector('[data-share-idle]')?.textContent).toBe(
      'Needs a crowd-report feed to do anything: none is set.',
    );
  });

  it('asks the browser’s consent from the click, then saves it on, and off again', async () => {
    const { connector, box, section } = await renderPage(page, 'https://feed.example.org');
    expect(section.querySelector('[data-share-idle]')).toBeNull();
    fireEvent.click(box);
    await within(section).findByText('Saved');
    expect(connector.calls.filter((c) => c === 'ask-share-consent')).toHaveLength(1);
    expect(updates(connector)).toEqual([{ shareObservations: true }]);
    expect(box.checked).toBe(true);
    fireEvent.click(box);
    await waitFor(() =>
      expect(updates(connector)).toEqual([{ shareObservations: true }, { shareObservations: false }]),
    );
    expect(box.checked).toBe(false);
    // Turning it off asks nothing.
    expect(connector.calls.filter((c) => c === 'ask-share-consent')).toHaveLength(1);
  });

  it('stays off and says why when the browser’s consent is refused', async () => {
    const { connector, box, section } = await renderPage(page, 'https://feed.example.org');
    connector.consentAnswer = false;
    fireEvent.click(box);
    const why = await within(section).findByRole('alert');
    expect(why.textContent).toBe("Not turned on: sharing was not allowed in the browser's prompt.");
    expect(box.checked).toBe(false);
    expect(updates(connector)).toEqual([]);
  });

  it('says a static feed takes no observations', async () => {
    const { section } = await renderPage(page, 'https://example.org/detour/feed.json');
    expect(section.querySelector('[data-share-idle="read-only"]')?.textContent).toBe(
      'This feed is read-only: it takes no observations, so nothing is sent.',
    );
  });
});

it('sits right after the feed address on the options page', async () => {
  const { box } = await renderPage(PAGES[0]?.[1] ?? (() => null));
  const sections = [...document.querySelectorAll('[data-section]')].map((s) =>
    s.getAttribute('data-section'),
  );
  expect(sections.indexOf('share-observations')).toBe(sections.indexOf('feed') + 1);
  expect(box).toBeTruthy();
});
