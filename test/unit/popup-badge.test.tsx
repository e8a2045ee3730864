// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/core/snapshot';
import type { MonitorState, ServiceState, Status } from '../../src/core/types';
import { PopupApp } from '../../src/popup/app';
import { popupExtras } from '../../src/popup/extras';
import { MIN, serviceState } from './helpers';
import { checkedSnapshot, EMPTY_SNAPSHOT, mockConnector } from './mock-connector';

afterEach(cleanup);

const NOW = EMPTY_SNAPSHOT.now;

function snapshot(statuses: Record<string, Status>, extra: Partial<MonitorState> = {}): Snapshot {
  const services = Object.fromEntries(
    Object.entries(statuses).map(([id, status]) => [
      id,
      serviceState({ status, since: NOW - 18 * MIN, checkedAt: NOW - 20_000, reasons: [] }),
    ]),
  ) as Record<string, ServiceState>;
  return checkedSnapshot(services, extra);
}

async function renderPopup(s: Snapshot, connector = mockConnector(s)) {
  const view = render(<PopupApp connector={connector} extras={popupExtras} />);
  await screen.findByRole('heading', { level: 1 });
  const explainer = await waitFor(() => {
    const found = view.container.querySelector<HTMLDetailsElement>('details.badge-explainer');
    if (!found) throw new Error('no badge explainer yet');
    return found;
  });
  return { connector, root: view.container as HTMLElement, explainer };
}

describe('popup: what does the badge mean?', () => {
  it('explains a red "!" as the main app down, folded until asked', async () => {
    const { explainer } = await renderPopup(snapshot({ whatsapp: 'down', telegram: 'up', signal: 'up' }));
    expect(explainer.open).toBe(false);
    expect(explainer.querySelector('summary')?.textContent).toBe('What does the badge mean?');
    expect(explainer.getAttribute('data-badge')).toBe('primary-down');
    expect(explainer.querySelector('[data-badge-swatch]')?.textContent).toBe('!');
    expect(explainer.querySelector('.badge-words')?.textContent).toBe(
      'Now: red badge “!” Your main app is down, confirmed by repeated checks.',
    );
  });

  it.each([
    [{ whatsapp: 'up', telegram: 'down', signal: 'up' }, {}, 'other-down', 'Now: amber badge “•”'],
    [{ whatsapp: 'up', telegram: 'degraded', signal: 'up' }, {}, 'degraded', 'Now: amber badge “?”'],
    [{ whatsapp: 'unknown' }, { connectivity: 'offline' }, 'offline', 'Now: grey badge “×”'],
    [{ whatsapp: 'up', telegram: 'up', signal: 'up' }, {}, 'quiet', 'Now: no badge'],
  ] as const)('names the badge the toolbar shows for %j %j: %s', async (statuses, extra, kind, words) => {
    const { explainer } = await renderPopup(snapshot(statuses, extra));
    expect(explainer.getAttribute('data-badge')).toBe(kind);
    expect(explainer.querySelector('.badge-words strong')?.textContent).toBe(words);
  });

  it('calls results older than two check intervals out of date: grey "…"', async () => {
    const old = snapshot({ whatsapp: 'down' }, { checkedAt: NOW - 3 * 60_000 });
    const { explainer } = await renderPopup(old);
    expect(explainer.getAttribute('data-badge')).toBe('stale');
    expect(explainer.textContent).toContain('grey badge “…”');
  });

  it('opens the full legend on the welcome page', async () => {
    const { connector, explainer } = await renderPopup(snapshot({ whatsapp: 'up' }));
    fireEvent.click(explainer.querySelector('[data-action="badge-legend"]') as HTMLElement);
    expect(connector.calls).toContain('open-welcome badges');
  });
});

describe('popup: keyboard shortcut', () => {
  it('shows the keys that open the popup in the footer', async () => {
    const { root } = await renderPopup(snapshot({ whatsapp: 'up' }));
    await waitFor(() =>
      expect(root.querySelector('.footer [data-shortcut]')?.textContent).toBe('Shortcut: Alt+Shift+D'),
    );
  });

  it('says nothing when the user removed the shortcut', async () => {
    const connector = mockConnector(snapshot({ whatsapp: 'up' }));
    connector.shortcutKeys = null;
    const { root } = await renderPopup(snapshot({ whatsapp: 'up' }), connector);
    await new Promise((r) => setTimeout(r, 0));
    expect(root.querySelector('[data-shortcut]')).toBeNull();
  });
});
