// @vitest-environment happy-dom
// The popup says where an app fails (issue 12): "down for others too", "down in Italy" or "only your
// network", with data-scope hooks on every row while a feed is configured (docs/contract.md).
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { CrowdScope } from '../../src/core/scope';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { applySettingsPatch } from '../../src/core/settings-edit';
import type { Snapshot } from '../../src/core/snapshot';
import type { ServiceState } from '../../src/core/types';
import { PopupApp } from '../../src/popup/app';
import { popupExtras } from '../../src/popup/extras';
import { feedWithProbes } from '../feed-docs';
import { MIN, MY_BANK, serviceState } from './helpers';
import { checkedSnapshot, EMPTY_SNAPSHOT, mockConnector } from './mock-connector';

afterEach(cleanup);

const NOW = EMPTY_SNAPSHOT.now;
const scope = (kind: CrowdScope['kind'], down: number, total: number, country: string | null = null) => ({
  kind,
  country,
  down,
  total,
});
const at = (partial: Partial<ServiceState>) =>
  serviceState({ since: NOW - 18 * MIN, checkedAt: NOW - 20_000, ...partial });

const LOCAL = at({
  status: 'degraded',
  probeStatus: 'down',
  cause: 'local',
  scope: scope('network', 1, 121),
});
const EVERYONE = at({ status: 'down', probeStatus: 'down', scope: scope('everyone', 37, 41) });
const ITALY = at({ status: 'down', probeStatus: 'down', scope: scope('country', 30, 32, 'IT') });
const UP = at({ status: 'up', scope: scope('unknown', 0, 80) });

/** The popup with these services, and a feed configured (or none: `feed` false). */
async function renderPopup(
  services: Record<string, ServiceState>,
  feed = true,
  settings: Snapshot['settings'] = DEFAULT_SETTINGS,
) {
  const snapshot: Snapshot = {
    ...checkedSnapshot(services),
    settings,
    crowd: feed
      ? {
          feed: feedWithProbes({ down: 37, up: 4, countries: { IT: [20, 1], FR: [9, 1], GB: [5, 1] } }, NOW),
          problem: null,
          fetchedAt: NOW,
        }
      : null,
  };
  const view = render(<PopupApp connector={mockConnector(snapshot)} extras={popupExtras} />);
  await screen.findByRole('heading', { level: 1 });
  await waitFor(() => expect(view.container.querySelector('[data-service][data-status]')).not.toBeNull());
  return view.container.querySelector('main') as HTMLElement;
}

const row = (root: HTMLElement, id: string) => root.querySelector(`[data-service="${id}"]`) as HTMLElement;
const attrs = (root: HTMLElement, id: string) => ({
  status: row(root, id).getAttribute('data-status'),
  scope: row(root, id).getAttribute('data-scope'),
  country: row(root, id).getAttribute('data-scope-country'),
});

describe('data-scope on every row while a feed is configured (contract §4)', () => {
  it.each<[string, ServiceState, { status: string; scope: string; country: string | null }]>([
    [
      'only this network: degraded, never down',
      LOCAL,
      { status: 'degraded', scope: 'network', country: null },
    ],
    ['everyone', EVERYONE, { status: 'down', scope: 'everyone', country: null }],
    ['one country, with its code', ITALY, { status: 'down', scope: 'country', country: 'IT' }],
    ['nothing to tell', UP, { status: 'up', scope: 'unknown', country: null }],
    [
      'no probes in the feed for it',
      at({ status: 'up', scope: null }),
      { status: 'up', scope: 'unknown', country: null },
    ],
  ])('%s', async (_name, whatsapp, expected) => {
    const root = await renderPopup({
      whatsapp,
      telegram: at({ status: 'up' }),
      signal: at({ status: 'up' }),
    });
    expect(attrs(root, 'whatsapp')).toEqual(expected);
    // The other rows say it too: the feed has nothing on them.
    expect(attrs(root, 'telegram')).toEqual({ status: 'up', scope: 'unknown', country: null });
  });

  it('leaves them out of the user’s own apps, which the feed never covers', async () => {
    const settings = applySettingsPatch(DEFAULT_SETTINGS, {
      customApps: [MY_BANK],
      watched: [...DEFAULT_SETTINGS.watched, 'custom-my-bank'],
    });
    const root = await renderPopup(
      { whatsapp: EVERYONE, telegram: at({ status: 'up' }), 'custom-my-bank': at({ status: 'up' }) },
      true,
      settings,
    );
    expect(row(root, 'custom-my-bank').getAttribute('data-status')).toBe('up');
    expect(row(root, 'custom-my-bank').hasAttribute('data-scope')).toBe(false);
    expect(row(root, 'custom-my-bank').hasAttribute('data-crowd')).toBe(false);
    expect(row(root, 'whatsapp').getAttribute('data-scope')).toBe('everyone');
    expect(row(root, 'telegram').hasAttribute('data-crowd')).toBe(true);
  });

  it('leaves them out without a feed', async () => {
    const root = await renderPopup({ whatsapp: LOCAL, telegram: at({ status: 'up' }) }, false);
    expect(row(root, 'whatsapp').hasAttribute('data-scope')).toBe(false);
    expect(row(root, 'telegram').hasAttribute('data-scope')).toBe(false);
  });
});

describe('the words', () => {
  it('only this network: "not from here", the headline and why, never "down"', async () => {
    const root = await renderPopup({ whatsapp: LOCAL, telegram: at({ status: 'up' }) });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toMatch(
      /^Can’t reach WhatsApp from your network · since /,
    );
    expect(row(root, 'whatsapp').querySelector('.status')?.textContent?.trim()).toBe('! not from here');
    await waitFor(() =>
      expect(root.querySelector('header [data-scope-line="network"]')?.textContent).toBe(
        'Other browsers reach WhatsApp right now (120 networks): the problem is probably your network, firewall or VPN',
      ),
    );
    expect(root.textContent).not.toContain('WhatsApp is down');
    expect(root.textContent).not.toContain('the problem is on WhatsApp’s side');
  });

  it('everyone: the headline says down, and under it, for others too, with the countries', async () => {
    const root = await renderPopup({ whatsapp: EVERYONE, telegram: at({ status: 'up' }) });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toMatch(/^WhatsApp is down · since /);
    await waitFor(() =>
      expect(root.querySelector('header [data-scope-line="everyone"]')?.textContent).toBe(
        'Down for others too: 37 of 41 networks that check WhatsApp can’t reach it (Italy, France, United Kingdom)',
      ),
    );
  });

  it('one country: "down in Italy", and a VPN may get through', async () => {
    const root = await renderPopup({ whatsapp: ITALY, telegram: at({ status: 'up' }) });
    await waitFor(() => expect(root.querySelector('[data-way-out="vpn"]')).not.toBeNull());
    expect(root.querySelector('header [data-scope-line="country"]')?.textContent).toBe(
      'Down in Italy: 30 of 32 networks there can’t reach it; it works elsewhere',
    );
    expect(root.querySelector('[data-way-out="vpn"]')?.textContent).toBe(
      'A VPN may get through: WhatsApp works outside Italy.',
    );
    // Not "the problem is on WhatsApp’s side": a country's block or outage is not the app's doing.
    expect(root.textContent).not.toContain('the problem is on WhatsApp’s side');
    expect(root.querySelectorAll('[data-fallback]').length).toBeGreaterThan(0);
  });

  it('suggests no VPN when the main app is down everywhere, or answers', async () => {
    for (const whatsapp of [EVERYONE, at({ status: 'up', scope: scope('country', 30, 32, 'IT') })]) {
      const root = await renderPopup({ whatsapp, telegram: at({ status: 'up' }) });
      await waitFor(() => expect(root.querySelector('.footer')).not.toBeNull());
      expect(root.querySelector('[data-way-out="vpn"]')).toBeNull();
      cleanup();
    }
  });

  it('says where another app fails on its own row, the main app’s under the headline only', async () => {
    const root = await renderPopup({ whatsapp: at({ status: 'up' }), telegram: LOCAL });
    await waitFor(() =>
      expect(row(root, 'telegram').querySelector('[data-scope-line="network"]')).not.toBeNull(),
    );
    expect(row(root, 'telegram').querySelector('[data-scope-line]')?.textContent).toMatch(
      /^Other browsers reach Telegram right now \(120 networks\)/,
    );
    expect(root.querySelector('header [data-scope-line]')).toBeNull();
    expect(row(root, 'whatsapp').querySelector('[data-scope-line]')).toBeNull();
    const main = await renderPopup({ whatsapp: LOCAL, telegram: at({ status: 'up' }) });
    await waitFor(() => expect(main.querySelector('header [data-scope-line]')).not.toBeNull());
    expect(row(main, 'whatsapp').querySelector('[data-scope-line]')).toBeNull();
  });
});
