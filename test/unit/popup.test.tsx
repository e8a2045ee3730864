// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import type { Snapshot } from '../../src/core/snapshot';
import type { MonitorState, ServiceState, Status } from '../../src/core/types';
import { PopupApp } from '../../src/popup/app';
import { popupExtras } from '../../src/popup/extras';
import { MIN, serviceState } from './helpers';
import { checkedSnapshot, EMPTY_SNAPSHOT, mockConnector } from './mock-connector';

const NOW = EMPTY_SNAPSHOT.now;

// The popup's clock is the page's own: the snapshots here were read at NOW, so the page's clock says
// NOW too (only Date is faked: the popup's timers and the testing library's waits stay real).
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function snapshot(
  statuses: Record<string, Status>,
  extra: Partial<MonitorState> = {},
  more: Partial<Snapshot> = {},
): Snapshot {
  const services = Object.fromEntries(
    Object.entries(statuses).map(([id, status]) => [
      id,
      serviceState({
        status,
        since: NOW - 18 * MIN,
        checkedAt: NOW - 20_000,
        reasons: [{ code: 'attemptsFailed', args: [5, 5, 'network'] }, { code: 'controlsOk' }],
      }),
    ]),
  ) as Record<string, ServiceState>;
  return { ...checkedSnapshot(services, extra), ...more };
}

async function renderPopup(s: Snapshot, contacts: unknown = []) {
  const connector = mockConnector(s, contacts);
  const view = render(<PopupApp connector={connector} extras={popupExtras} />);
  await screen.findByRole('heading', { level: 1 });
  await waitFor(() => expect(view.container.querySelector('[data-service][data-status]')).not.toBeNull());
  return { connector, view, root: view.container.querySelector('main') as HTMLElement };
}

const fallbacks = (root: HTMLElement) =>
  [...root.querySelectorAll('[data-fallback]')].map((e) => e.getAttribute('data-fallback'));

describe('popup', () => {
  it('says WhatsApp is down, that it is them, and offers Telegram, Signal, phone in that order', async () => {
    const { root } = await renderPopup(snapshot({ whatsapp: 'down', telegram: 'up', signal: 'up' }));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toMatch(/^WhatsApp is down · since /);
    expect(root.textContent).toContain('the problem is on WhatsApp’s side');
    expect(root.querySelector('[data-service="whatsapp"]')?.getAttribute('data-status')).toBe('down');
    expect(root.querySelector('[data-service="whatsapp"]')?.hasAttribute('data-primary')).toBe(true);
    expect(root.querySelector('[data-service="telegram"]')?.hasAttribute('data-primary')).toBe(false);
    expect(fallbacks(root)).toEqual(['telegram', 'signal', 'phone']);
    expect(root.querySelector('[data-fallback="telegram"]')?.getAttribute('href')).toBe(
      'https://web.telegram.org/',
    );
    expect(root.querySelector('[data-fallback="phone"]')?.getAttribute('href')).toBe('tel:');
  });

  it('shows every status as an icon and a word, never colour alone', async () => {
    const { root } = await renderPopup(snapshot({ whatsapp: 'down', telegram: 'up', signal: 'degraded' }));
    const words = [...root.querySelectorAll('.status')].map((e) => e.textContent?.trim());
    expect(words).toEqual(['✕ down', '✓ up', '! unstable']);
  });

  it('shows a flapping app as it is (down or up) with an "unstable" tag, and says why', async () => {
    const s = snapshot({ whatsapp: 'down', telegram: 'up', signal: 'up' });
    const flag = (id: 'whatsapp' | 'telegram', reason: ServiceState['reasons'][number]) => {
      const row = s.state.services[id] as ServiceState;
      return { ...row, unstable: true, reasons: [...row.reasons, reason] };
    };
    const unstable = { code: 'unstable', args: [3, 10] } as const;
    const { root } = await renderPopup({
      ...s,
      state: {
        ...s.state,
        services: {
          ...s.state.services,
          whatsapp: flag('whatsapp', unstable),
          telegram: flag('telegram', unstable),
        },
      },
    });
    const row = (id: string) => root.querySelector(`[data-service="${id}"]`) as HTMLElement;
    expect(['whatsapp', 'telegram', 'signal'].map((id) => row(id).getAttribute('data-status'))).toEqual([
      'down',
      'up',
      'up',
    ]);
    expect(
      ['whatsapp', 'telegram', 'signal'].map(
        (id) => row(id).querySelector('.tag-unstable')?.textContent ?? null,
      ),
    ).toEqual(['unstable', 'unstable', null]);
    expect(['whatsapp', 'telegram', 'signal'].map((id) => row(id).hasAttribute('data-unstable'))).toEqual([
      true,
      true,
      false,
    ]);
    expect(row('whatsapp').querySelector('.status')?.textContent?.trim()).toBe('✕ down');
    expect(row('whatsapp').querySelector('details')?.textContent).toContain(
      'keeps going up and down (3 changes in 10 checks)',
    );
    expect(screen.getByRole('heading', { level: 1 }).textContent).toMatch(/^WhatsApp is down · since /);
  });

  it('explains the verdict on demand', async () => {
    const { root } = await renderPopup(snapshot({ whatsapp: 'down', telegram: 'up', signal: 'up' }));
    const why = root.querySelector('[data-service="whatsapp"] details') as HTMLDetailsElement;
    expect(why.open).toBe(false);
    expect(why.textContent).toContain('5 of 5 attempts: connection failed');
    expect(why.textContent).toContain('your connection works');
  });

  it('shows the offline headline and no suggestions when it is the user’s connection', async () => {
    const { root } = await renderPopup(
      snapshot(
        { whatsapp: 'unknown' },
        { connectivity: 'offline', connectivityReasons: [{ code: 'controlsFailed' }] },
      ),
    );
    expect(root.getAttribute('data-connectivity')).toBe('offline');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('You are offline');
    expect(fallbacks(root)).toEqual([]);
  });

  it('says "just now" for a check read again 2 min after opening, not the time it was open on top', async () => {
    // A clock after the module's import, so that any count from when the page was loaded would show.
    vi.useRealTimers();
    const opened = Date.now();
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'], now: opened });
    const first = snapshot({ whatsapp: 'up', telegram: 'up', signal: 'up' });
    const connector = mockConnector({
      ...first,
      now: opened,
      state: { ...first.state, checkedAt: opened - 20_000 },
    });
    const view = render(<PopupApp connector={connector} extras={popupExtras} />);
    await act(async () => undefined);
    const lastChecked = () => view.container.querySelector('.last-checked')?.textContent;
    expect(lastChecked()).toBe('Last checked 20 s ago');
    // Two minutes on, a check ends: the page reads storage again, at its own clock.
    act(() => {
      vi.advanceTimersByTime(2 * MIN);
    });
    expect(lastChecked()).toBe('Last checked 2 min ago');
    const later = Date.now();
    act(() => connector.push({ ...first, now: later, state: { ...first.state, checkedAt: later } }));
    expect(lastChecked()).toBe('Last checked just now');
  });

  it('runs a check on "Check now", marks the root as checking meanwhile', async () => {
    const { root, connector } = await renderPopup(snapshot({ whatsapp: 'up', telegram: 'up', signal: 'up' }));
    let release: () => void = () => undefined;
    connector.checkNow = () => new Promise((resolve) => (release = resolve));
    fireEvent.click(root.querySelector('[data-action="check-now"]') as HTMLElement);
    await waitFor(() => expect(root.hasAttribute('data-checking')).toBe(true));
    expect(root.querySelector('[data-action="check-now"]')?.textContent).toBe('Checking…');
    // The check's result arrives through storage; the action's answer only says it has ended.
    await act(() => {
      connector.push(snapshot({ whatsapp: 'down', telegram: 'up', signal: 'up' }));
      release();
    });
    await waitFor(() => expect(root.hasAttribute('data-checking')).toBe(false));
    expect(root.querySelector('[data-service="whatsapp"]')?.getAttribute('data-status')).toBe('down');
  });

  it('shows a failed check as an error in words, and keeps the rest', async () => {
    const { root, connector } = await renderPopup(snapshot({ whatsapp: 'up', telegram: 'up', signal: 'up' }));
    connector.checkNow = () => Promise.reject(new Error('The background did not answer'));
    fireEvent.click(root.querySelector('[data-action="check-now"]') as HTMLElement);
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Something went wrong: The background did not answer',
    );
    expect(root.querySelectorAll('[data-service][data-status]')).toHaveLength(3);
  });

  it('updates live when the background pushes a new state', async () => {
    const { root, connector } = await renderPopup(snapshot({ whatsapp: 'up', telegram: 'up', signal: 'up' }));
    await act(() => connector.push(snapshot({ whatsapp: 'down', telegram: 'up', signal: 'up' })));
    expect(root.querySelector('[data-service="whatsapp"]')?.getAttribute('data-status')).toBe('down');
    expect(screen.getByRole('heading', { level: 1 }).getAttribute('aria-live')).toBe('polite');
  });

  it('marks stale results as stale', async () => {
    const { root } = await renderPopup(snapshot({ whatsapp: 'down' }, {}, { stale: true }));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toMatch(/^Results out of date/);
    expect(root.querySelector('.stale-mark')?.textContent).toContain('out of date');
  });

  it('offers the user’s contacts on the best working channel, and the away message to copy', async () => {
    const s = snapshot(
      { whatsapp: 'down', telegram: 'up', signal: 'up' },
      {},
      {
        settings: { ...DEFAULT_SETTINGS, handles: { telegram: '@me_here', phone: '+39 333 123 4567' } },
      },
    );
    const { root, connector } = await renderPopup(s, [
      { id: 'maria', name: 'Maria', handles: { telegram: '@maria_rossi' } },
      { id: 'nonna', name: 'Nonna', handles: { phone: '+39 06 1234 5678' } },
    ]);
    await waitFor(() => expect(root.querySelector('[data-contact="maria"]')).not.toBeNull());
    expect(root.querySelector('[data-contact="maria"]')?.textContent).toBe('Reach Maria on Telegram');
    expect(root.querySelector('[data-contact="maria"]')?.getAttribute('href')).toBe(
      'https://t.me/maria_rossi',
    );
    expect(root.querySelector('[data-contact="nonna"]')?.textContent).toBe('Call Nonna');
    fireEvent.click(root.querySelector('[data-action="copy-away"]') as HTMLElement);
    await waitFor(() =>
      expect(connector.copied).toBe(
        'WhatsApp is down right now. Reach me on Telegram @me_here or call +39 333 123 4567.',
      ),
    );
  });

  it('never breaks on bad data: corrupt contacts, unknown ids, missing history', async () => {
    const s = snapshot(
      { whatsapp: 'down', telegram: 'up', signal: 'up', skype: 'down' },
      {},
      {
        history: { whatsapp: undefined, skype: [] } as unknown as Snapshot['history'],
      },
    );
    const { root } = await renderPopup(s, 'not a list');
    await waitFor(() =>
      expect(root.textContent).toContain('1 saved contact could not be read and was skipped.'),
    );
    expect(root.querySelectorAll('[data-service][data-status]')).toHaveLength(3);
    expect(root.textContent).toContain('No history yet');
  });

  it('renders network text as text, never as HTML', async () => {
    const s = snapshot({ whatsapp: 'down', telegram: 'up', signal: 'up' });
    const hostile = {
      ...s.state.services.whatsapp,
      reasons: [{ code: 'attemptsFailed', args: [1, 1, '<img src=x onerror=alert(1)>'] }],
    };
    const { root } = await renderPopup({
      ...s,
      state: { ...s.state, services: { ...s.state.services, whatsapp: hostile as ServiceState } },
    });
    expect(root.querySelector('img')).toBeNull();
    expect(root.textContent).toContain('<img src=x onerror=alert(1)>');
  });

  it('draws the 24 h history as an inline SVG labelled with the share of checks that answered', async () => {
    const history = {
      whatsapp: [
        { t: NOW - 60 * MIN, s: 'up' as const, l: 100, n: 12, ln: 12 },
        { t: NOW - 10 * MIN, s: 'down' as const, l: null, n: 2, ln: 0 },
      ],
    };
    const { root } = await renderPopup({
      ...snapshot({ whatsapp: 'down', telegram: 'up', signal: 'up' }),
      history,
    });
    const svg = root.querySelector('[data-service="whatsapp"] svg');
    // 12 of 14 checks answered: 85.7%, rounded down so that 100% means every check.
    expect(svg?.getAttribute('aria-label')).toBe('WhatsApp over the last 24 hours: 85% of checks up');
    expect(svg?.querySelectorAll('rect.history-down')).toHaveLength(1);
  });

  it('shows the crowd level on every row: the count in view, the chart, top problems and countries folded', async () => {
    const series = Array.from({ length: 96 }, (_, i) => ({
      t: new Date(NOW - (95 - i) * 15 * MIN).toISOString(),
      reports: i === 95 ? 412 : 10,
      baseline: 12,
    }));
    const feed = {
      version: 1 as const,
      generatedAt: new Date(NOW).toISOString(),
      bucketMinutes: 15,
      services: {
        whatsapp: {
          level: 'outage' as const,
          recent: 412,
          baseline: 12.4,
          series,
          problems: { messages: 300, connection: 90, '<b>x</b>': 1 },
          countries: { GB: 177, IT: 26 },
        },
      },
    };
    const s = snapshot(
      { whatsapp: 'degraded', telegram: 'up', signal: 'up' },
      {},
      {
        crowd: { feed, problem: null, fetchedAt: NOW },
        settings: { ...DEFAULT_SETTINGS, shareCountry: false },
      },
    );
    const { root } = await renderPopup(s);
    expect(root.querySelector('[data-service="whatsapp"]')?.getAttribute('data-crowd')).toBe('outage');
    expect(root.querySelector('[data-service="telegram"]')?.getAttribute('data-crowd')).toBe('normal');
    const summary = root.querySelector('[data-service="whatsapp"] .crowd-summary') as HTMLElement;
    expect(summary.textContent).toBe('Reports in the last 15 min: 412 (usually 12)');
    expect(summary.closest('details')).toBeNull();
    const panel = root.querySelector('[data-service="whatsapp"] details.crowd') as HTMLDetailsElement;
    expect(panel.open).toBe(false);
    expect(panel.textContent).toContain('Can’t send or receive messages (300)');
    expect(panel.textContent).toContain('<b>x</b> (1)');
    expect(panel.querySelector('b')).toBeNull();
    expect(panel.textContent).toContain('Where: United Kingdom (177) · Italy (26)');
    expect(panel.querySelectorAll('svg rect.bar-high')).toHaveLength(1);
  });

  it('says why the crowd signal is missing when the feed cannot be read', async () => {
    const s = snapshot(
      { whatsapp: 'up', telegram: 'up', signal: 'up' },
      {},
      { crowd: { feed: null, problem: 'timeout', fetchedAt: NOW } },
    );
    const { root } = await renderPopup(s);
    expect(root.querySelector('[data-service="whatsapp"]')?.hasAttribute('data-crowd')).toBe(false);
    expect(root.textContent).toContain('Reports from others are unavailable: timeout');
  });

  it.each<[string, import('../../src/core/report').ReportOutcome, string]>([
    ['counted', { kind: 'counted' }, 'Thank you: your report was counted.'],
    ['duplicate', { kind: 'duplicate' }, 'You already reported WhatsApp in the last 30 minutes.'],
    [
      'rate-limited',
      { kind: 'rate-limited', retryAfterSeconds: 42 },
      'Too many reports from here. Try again in 42 s.',
    ],
    ['unreachable', { kind: 'unreachable' }, 'The report feed could not be reached.'],
    ['no feed', { kind: 'no-feed' }, 'Set a report feed in the settings to report problems.'],
  ])('reports a problem and says the answer in words: %s', async (_name, outcome, text) => {
    const { root, connector } = await renderPopup(
      snapshot({ whatsapp: 'down', telegram: 'up', signal: 'up' }),
    );
    connector.reportOutcome = outcome;
    fireEvent.click(root.querySelector('[data-action="report"][data-service="whatsapp"]') as HTMLElement);
    expect(root.textContent).toContain('What is wrong with WhatsApp?');
    fireEvent.click(root.querySelector('[data-problem="messages"]') as HTMLElement);
    await waitFor(() => expect(root.querySelector('.report-outcome')?.textContent).toBe(text));
    expect(connector.calls).toContain('report whatsapp messages');
  });
});
