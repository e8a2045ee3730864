// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { badgeKind } from '../../src/core/badge';
import type { MuteFor } from '../../src/core/mutes';
import type { Snapshot } from '../../src/core/snapshot';
import { PopupApp } from '../../src/popup/app';
import { popupExtras } from '../../src/popup/extras';
import { MIN, serviceState } from './helpers';
import { checkedSnapshot, EMPTY_SNAPSHOT, mockConnector } from './mock-connector';

afterEach(cleanup);

const NOW = EMPTY_SNAPSHOT.now;
const down = (): Snapshot =>
  checkedSnapshot({
    whatsapp: serviceState({ status: 'up', since: NOW - 18 * MIN, checkedAt: NOW - 20_000 }),
    telegram: serviceState({ status: 'down', since: NOW - 18 * MIN, checkedAt: NOW - 20_000 }),
    signal: serviceState({ status: 'up', since: NOW - 18 * MIN, checkedAt: NOW - 20_000 }),
  });

async function renderPopup(s: Snapshot) {
  const connector = mockConnector(s);
  const view = render(<PopupApp connector={connector} extras={popupExtras} />);
  await screen.findByRole('heading', { level: 1 });
  await waitFor(() => expect(view.container.querySelector('[data-action="mute"]')).not.toBeNull());
  return { connector, root: view.container.querySelector('main') as HTMLElement };
}

describe('muting one app from its row', () => {
  it.each<[MuteFor, RegExp]>([
    ['1h', /^Muted until \d\d:\d\d( [AP]M)?$/],
    ['4h', /^Muted until \d\d:\d\d( [AP]M)?$/],
    ['until-back', /^Muted until it is back$/],
  ])('mutes for %s: the row says so, keeps its status and leaves the badge', async (kind, tag) => {
    const { connector, root } = await renderPopup(down());
    const row = () => root.querySelector('[data-service="telegram"]') as HTMLElement;
    expect(row().hasAttribute('data-muted')).toBe(false);
    fireEvent.click(row().querySelector(`[data-action="mute"][data-for="${kind}"]`) as HTMLElement);
    await waitFor(() => expect(row().hasAttribute('data-muted')).toBe(true));
    expect(connector.calls).toContain(`mute telegram ${kind}`);
    expect(row().getAttribute('data-status')).toBe('down');
    expect(row().querySelector('.tag-muted')?.textContent).toMatch(tag);
    const s = await connector.getState();
    expect(s.muted).toEqual(['telegram']);
    expect(badgeKind({ ...s, primary: 'whatsapp', watched: s.settings.watched, intervalSeconds: 60 })).toBe(
      'quiet',
    );
    fireEvent.click(row().querySelector('[data-action="unmute"][data-service="telegram"]') as HTMLElement);
    await waitFor(() => expect(row().hasAttribute('data-muted')).toBe(false));
    expect(connector.calls).toContain('mute telegram null');
  });

  it('offers the three choices on every row', async () => {
    const { root } = await renderPopup(down());
    for (const id of ['whatsapp', 'telegram', 'signal']) {
      const fors = [...root.querySelectorAll(`[data-action="mute"][data-service="${id}"]`)].map((b) =>
        b.getAttribute('data-for'),
      );
      expect(fors).toEqual(['1h', '4h', 'until-back']);
    }
  });
});
