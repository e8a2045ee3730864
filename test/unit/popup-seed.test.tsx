// @vitest-environment happy-dom
// The popup's seed: the background keeps what the popup paints first in the query of the page the
// toolbar button opens, so the popup paints without waiting for a storage read. The seed must follow
// storage, carry nothing the first paint does not need, and be read as warily as storage itself.

import { cleanup, render } from '@testing-library/preact';
import { fakeBrowser } from '@webext-core/fake-browser';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import type { Snapshot } from '../../src/core/snapshot';
import { loadView, readSeed, SEED_PARAM } from '../../src/platform/view-store';
import { PopupApp } from '../../src/popup/app';
import { seedJsonOf, seedSearch } from '../seed-url';
import { failing, fireAlarm, loadBackground, toolbar, useBackgroundWorld } from './background-harness';
import { serviceState } from './helpers';
import { checkedSnapshot, mockConnector } from './mock-connector';

vi.mock('webextension-polyfill', () => ({ default: fakeBrowser }));

useBackgroundWorld();
afterEach(cleanup);

const POPUP = 'src/popup/index.html';
const viewFromSeed = (search: string) => readSeed(search, 'en')?.view ?? null;
const seedOf = (popup: string) => viewFromSeed(new URL(popup, 'chrome-extension://x/').search);

describe('the background keeps the popup seeded', () => {
  it('with what the last check stored, and follows the next one', async () => {
    await loadBackground();
    await vi.waitFor(() => expect(toolbar.popup.startsWith(`${POPUP}?${SEED_PARAM}=`)).toBe(true));
    // The seed is packed asynchronously after each save: it follows storage within a few turns.
    await vi.waitFor(async () => expect(seedOf(toolbar.popup)?.state).toEqual((await loadView()).state));
    expect(seedOf(toolbar.popup)?.settings).toEqual((await loadView()).settings);

    failing.add('web.whatsapp.com');
    await fireAlarm();
    await vi.waitFor(() => expect(seedOf(toolbar.popup)?.state.services.whatsapp?.status).toBe('down'));
    await vi.waitFor(async () => expect(seedOf(toolbar.popup)?.state).toEqual((await loadView()).state));
  });

  it('keeps the URL short: each KB of it costs the first frame about 2 ms (docs/benchmarks.md)', async () => {
    await loadBackground();
    await vi.waitFor(() => expect(seedJsonOf(toolbar.popup)).not.toBeNull());
    // About 0.8 KB with the default apps all up: packed, and only the words of that first paint (with
    // every word: 1.3 KB; the JSON percent-encoded: 4.2 KB).
    expect(toolbar.popup.length).toBeLessThan(1024);
  });

  it('hands the browser nothing when the picture is unchanged: a check with the same result costs no badge call', async () => {
    await loadBackground();
    await fireAlarm();
    const setBadgeText = vi.spyOn(fakeBrowser.action, 'setBadgeText');
    await fireAlarm(); // the same answers: only checkedAt and the running mark change
    await vi.waitFor(() => expect(seedOf(toolbar.popup)?.checking).toBeNull());
    expect(setBadgeText).not.toHaveBeenCalled();
    failing.add('web.whatsapp.com');
    await fireAlarm();
    await vi.waitFor(() => expect(setBadgeText).toHaveBeenCalled());
  });

  it("leaves out the user's own handles, the history and past outages: the first paint needs none", async () => {
    await fakeBrowser.storage.local.set({
      settings: { ...DEFAULT_SETTINGS, handles: { phone: '+39 333 123 4567' } },
    });
    await loadBackground();
    await vi.waitFor(() => expect(seedOf(toolbar.popup)).not.toBeNull());
    const carried = JSON.stringify(seedJsonOf(toolbar.popup));
    expect(carried).not.toContain('123 4567');
    expect(seedOf(toolbar.popup)?.settings.handles).toEqual({});
    expect(carried).not.toMatch(/"history"|"outages"/);
  });

  it('opens the plain popup when the seed would unpack past what the popup accepts (128 KB)', async () => {
    await loadBackground();
    await vi.waitFor(() => expect(seedOf(toolbar.popup)).not.toBeNull());
    const { state } = await fakeBrowser.storage.local.get('state');
    // Packs to a few hundred bytes, far under the URL's cap: only the unpacked size is too much.
    await fakeBrowser.storage.local.set({ state: { ...(state as object), pad: 'x'.repeat(140_000) } });
    await vi.waitFor(() => expect(toolbar.popup).toBe(POPUP));
  });

  it('opens the plain popup, which reads storage first, when a feed is set', async () => {
    await loadBackground();
    await vi.waitFor(() => expect(seedOf(toolbar.popup)).not.toBeNull());
    await fakeBrowser.storage.local.set({
      settings: { ...DEFAULT_SETTINGS, feedUrl: 'https://feed.example/v1' },
    });
    await vi.waitFor(() => expect(toolbar.popup).toBe(POPUP));
  });
});

describe('a seed is read like storage', () => {
  const seed = seedSearch;
  it.each([
    ['no query', ''],
    ['another parameter', '?other=1'],
    ['text that is not JSON', seed('{not json')],
    ['a list', seed('[1,2]')],
    ['a number', seed('5')],
    ['null', seed('null')],
    [
      'a feed, whose reader is not loaded',
      seed(JSON.stringify({ settings: { feedUrl: 'https://f.example' } })),
    ],
    ['a query over 64 KB', `${seed('{}')}&pad=${'x'.repeat(70_000)}`],
    ['a seed that unpacks past 128 KB', seed(JSON.stringify({ state: { pad: 'x'.repeat(140_000) } }))],
    ['a seed packed another way (percent-encoded JSON)', `?${new URLSearchParams({ [SEED_PARAM]: '{}' })}`],
  ])('paints nothing from %s', (_, search) => {
    expect(viewFromSeed(search)).toBeNull();
  });

  it('keeps only what validates: a forged state becomes "not checked yet", bad settings the defaults', () => {
    const view = viewFromSeed(
      seed(JSON.stringify({ state: { services: { whatsapp: 'down' } }, settings: { primary: '<b>x</b>' } })),
    );
    expect(view?.state.checkedAt).toBeNull();
    expect(view?.settings.primary).toBe(DEFAULT_SETTINGS.primary);
    expect(view?.history).toEqual({});
    expect(view?.outages).toEqual([]);
  });
});

describe('a seeded popup', () => {
  it('paints the status in its first render, before storage answers', () => {
    const seeded: Snapshot = checkedSnapshot({
      whatsapp: serviceState({ status: 'down' }),
      telegram: serviceState({ status: 'up' }),
      signal: serviceState({ status: 'up' }),
    });
    const connector = {
      ...mockConnector(seeded),
      seed: seeded,
      getState: () => new Promise<Snapshot>(() => {}),
    };
    const view = render(<PopupApp connector={connector} extras={() => new Promise(() => {})} />);
    const row = view.container.querySelector('[data-service="whatsapp"]');
    expect(row?.getAttribute('data-status')).toBe('down');
    expect(view.container.querySelector('main')?.getAttribute('aria-busy')).toBeNull();
  });
});
