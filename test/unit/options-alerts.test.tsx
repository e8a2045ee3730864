// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatClock } from '../../src/core/format';
import { type Outage, outagesCsv } from '../../src/core/outages';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import type { Snapshot } from '../../src/core/snapshot';
import { nextMorning } from '../../src/options/alert-sections';
import { OptionsApp } from '../../src/options/app';
import { MIN } from './helpers';
import { EMPTY_SNAPSHOT, mockConnector } from './mock-connector';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const NOW = EMPTY_SNAPSHOT.now;
const HOUR = 60 * MIN;
const PAGE = 'https://status.example.org/api/v2/summary.json';

async function renderOptions(initial: Partial<Snapshot> = {}) {
  const connector = mockConnector(initial);
  const view = render(<OptionsApp connector={connector} />);
  await waitFor(() => expect(view.container.querySelector('select[name="primary"]')).not.toBeNull());
  const root = view.container as HTMLElement;
  const section = (id: string) => root.querySelector(`[data-section="${id}"]`) as HTMLElement;
  const field = <E extends Element>(selector: string) => root.querySelector(selector) as E;
  return { connector, root, section, field };
}

const updates = (calls: readonly string[]) =>
  calls
    .filter((c) => c.startsWith('update-settings '))
    .map((c) => JSON.parse(c.slice('update-settings '.length)));

const snoozes = (calls: readonly string[]) =>
  calls
    .filter((c) => c.startsWith('snooze '))
    .map((c) => JSON.parse(c.slice('snooze '.length)) as number | null);

const when = (at: number) =>
  new Intl.DateTimeFormat('en', { weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(at);

describe('options: alert on down, back or both', () => {
  it.each<['down' | 'back' | 'both', 'down' | 'back' | 'both']>([
    ['both', 'down'],
    ['both', 'back'],
    ['down', 'both'],
  ])('from %s, saves %s on change', async (from, to) => {
    const { connector, section, field } = await renderOptions({
      settings: { ...DEFAULT_SETTINGS, alertOn: from },
    });
    const select = field<HTMLSelectElement>('select[name="alertOn"]');
    expect(select.value).toBe(from);
    expect([...select.options].map((o) => o.textContent)).toEqual([
      'when apps go down and when they are back',
      'only when apps go down',
      'only when apps are back',
    ]);
    fireEvent.change(select, { target: { value: to } });
    await within(section('alert-on')).findByText('Saved');
    expect(updates(connector.calls)).toEqual([{ alertOn: to }]);
  });
});

describe('options: reminders', () => {
  it('offers never, 30 min and whole hours, and saves the choice', async () => {
    const { connector, section, field } = await renderOptions();
    const select = field<HTMLSelectElement>('select[name="reminderMinutes"]');
    expect(select.value).toBe('0');
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([
      ['0', 'Never'],
      ['30', '30 min'],
      ['60', '1 hr'],
      ['120', '2 hr'],
      ['240', '4 hr'],
    ]);
    fireEvent.change(select, { target: { value: '60' } });
    await within(section('reminders')).findByText('Saved');
    expect(updates(connector.calls)).toEqual([{ reminderMinutes: 60 }]);
    expect(select.value).toBe('60');
  });

  it('keeps a stored value that is not among the choices', async () => {
    const { field } = await renderOptions({ settings: { ...DEFAULT_SETTINGS, reminderMinutes: 90 } });
    const select = field<HTMLSelectElement>('select[name="reminderMinutes"]');
    expect(select.value).toBe('90');
    expect([...select.options].map((o) => o.value)).toEqual(['0', '30', '60', '90', '120', '240']);
  });
});

describe('options: quiet hours', () => {
  it('saves 22:00–07:00 in minutes when enabled, follows the times, and saves null when disabled', async () => {
    const { connector, section, field } = await renderOptions();
    const box = field<HTMLInputElement>('input[name="quietHours"]');
    const start = field<HTMLInputElement>('input[name="quietStart"]');
    const end = field<HTMLInputElement>('input[name="quietEnd"]');
    expect(box.checked).toBe(false);
    expect([start.value, end.value]).toEqual(['22:00', '07:00']);
    expect(start.disabled).toBe(true);

    fireEvent.click(box);
    await within(section('quiet')).findByText('Saved');
    expect(updates(connector.calls)).toEqual([{ quietHours: { start: 22 * 60, end: 7 * 60 } }]);
    await waitFor(() => expect(start.disabled).toBe(false));

    fireEvent.change(start, { target: { value: '23:30' } });
    await waitFor(() =>
      expect(updates(connector.calls).at(-1)).toEqual({ quietHours: { start: 23 * 60 + 30, end: 7 * 60 } }),
    );

    fireEvent.click(box);
    await waitFor(() => expect(updates(connector.calls).at(-1)).toEqual({ quietHours: null }));
    await waitFor(() => expect(box.checked).toBe(false));
    // The range stays on the page for the next time.
    expect(start.value).toBe('23:30');
    expect(start.disabled).toBe(true);
  });

  it('shows stored quiet hours and ignores a cleared time', async () => {
    const { connector, field } = await renderOptions({
      settings: { ...DEFAULT_SETTINGS, quietHours: { start: 21 * 60 + 15, end: 6 * 60 } },
    });
    const end = field<HTMLInputElement>('input[name="quietEnd"]');
    expect(field<HTMLInputElement>('input[name="quietHours"]').checked).toBe(true);
    expect(field<HTMLInputElement>('input[name="quietStart"]').value).toBe('21:15');
    expect(end.value).toBe('06:00');
    fireEvent.change(end, { target: { value: '' } });
    await new Promise((r) => setTimeout(r, 20));
    expect(updates(connector.calls)).toEqual([]);
  });
});

describe('options: pause notifications', () => {
  it('pauses for an hour, says until when, and resumes', async () => {
    const { connector, section } = await renderOptions();
    const snooze = section('snooze');
    expect(snooze).not.toBeNull();
    expect(within(snooze).queryByRole('button', { name: 'Resume notifications' })).toBeNull();

    const before = Date.now();
    fireEvent.click(within(snooze).getByRole('button', { name: 'For 1 hour' }));
    await waitFor(() => expect(snoozes(connector.calls)).toHaveLength(1));
    const until = snoozes(connector.calls)[0] as number;
    expect(until).toBeGreaterThanOrEqual(before + HOUR);
    expect(until).toBeLessThanOrEqual(Date.now() + HOUR);
    await within(snooze).findByText(`Notifications paused until ${formatClock(until, 'en')}.`);

    fireEvent.click(within(snooze).getByRole('button', { name: 'Resume notifications' }));
    await waitFor(() => expect(snoozes(connector.calls)).toEqual([until, null]));
    await waitFor(() => expect(within(snooze).queryByText(/Notifications paused until/)).toBeNull());
  });

  it('pauses until the next 08:00 on this computer’s clock', async () => {
    const { connector, section } = await renderOptions();
    const before = Date.now();
    fireEvent.click(within(section('snooze')).getByRole('button', { name: 'Until tomorrow morning' }));
    await waitFor(() => expect(snoozes(connector.calls)).toHaveLength(1));
    const until = snoozes(connector.calls)[0] as number;
    expect(until).toBeGreaterThan(before);
    expect(until - before).toBeLessThanOrEqual(24 * HOUR);
    const at = new Date(until);
    expect([at.getHours(), at.getMinutes(), at.getSeconds()]).toEqual([8, 0, 0]);
  });

  it('shows a pause the background already has', async () => {
    const until = NOW + 2 * HOUR;
    const { section } = await renderOptions({ snoozedUntil: until });
    expect(
      within(section('snooze')).getByText(`Notifications paused until ${formatClock(until, 'en')}.`),
    ).toBeTruthy();
    expect(within(section('snooze')).getByRole('button', { name: 'Resume notifications' })).toBeTruthy();
  });

  it('finds the next morning: later today when still early, else tomorrow', () => {
    const at = (d: number, h: number, m = 0) => new Date(2026, 10, d, h, m).getTime();
    expect(nextMorning(at(23, 6, 30))).toBe(at(23, 8));
    expect(nextMorning(at(23, 8))).toBe(at(24, 8));
    expect(nextMorning(at(23, 22))).toBe(at(24, 8));
    expect(nextMorning(at(30, 23))).toBe(new Date(2026, 11, 1, 8).getTime());
  });
});

describe('options: extra status pages', () => {
  it('has one field per watched service and explains an invalid address without saving it', async () => {
    const { connector, section, root } = await renderOptions();
    const fields = [...root.querySelectorAll<HTMLInputElement>('input[type="url"][name="statusPage"]')];
    expect(fields.map((f) => f.dataset.service)).toEqual(['whatsapp', 'telegram', 'signal']);
    const pages = section('status-pages');
    const telegram = within(pages).getByLabelText('Telegram') as HTMLInputElement;

    fireEvent.input(telegram, { target: { value: 'http://status.example.org/api/v2/summary.json' } });
    fireEvent.change(telegram);
    await within(pages).findByText('Use an https:// address ending in /api/v2/summary.json.');
    expect(telegram.getAttribute('aria-invalid')).toBe('true');
    expect(updates(connector.calls)).toEqual([]);

    fireEvent.input(telegram, { target: { value: ` ${PAGE} ` } });
    expect(within(pages).queryByText(/Use an https:\/\/ address/)).toBeNull();
    fireEvent.change(telegram);
    await within(pages).findByText('Saved');
    expect(updates(connector.calls)).toEqual([{ statusPages: { telegram: PAGE } }]);
  });

  it('keeps saved pages while another field is invalid, and removes an emptied one', async () => {
    const saved = { whatsapp: PAGE, teams: 'https://teams.example.org/api/v2/status.json' };
    const { connector, section } = await renderOptions({
      settings: { ...DEFAULT_SETTINGS, statusPages: saved },
    });
    const pages = section('status-pages');
    const whatsapp = within(pages).getByLabelText('WhatsApp') as HTMLInputElement;
    const signal = within(pages).getByLabelText('Signal') as HTMLInputElement;
    expect(whatsapp.value).toBe(PAGE);

    fireEvent.input(whatsapp, { target: { value: 'not a url' } });
    fireEvent.change(whatsapp);
    fireEvent.input(signal, { target: { value: 'https://signal.example.org/api/v2/summary.json' } });
    fireEvent.change(signal);
    await waitFor(() =>
      expect(updates(connector.calls)).toEqual([
        { statusPages: { ...saved, signal: 'https://signal.example.org/api/v2/summary.json' } },
      ]),
    );

    fireEvent.input(whatsapp, { target: { value: '' } });
    fireEvent.change(whatsapp);
    await waitFor(() =>
      expect(updates(connector.calls).at(-1)).toEqual({
        statusPages: { teams: saved.teams, signal: 'https://signal.example.org/api/v2/summary.json' },
      }),
    );
  });
});

describe('options: outage history', () => {
  const outage = (service: Outage['service'], startMin: number, lengthMin: number | null): Outage => ({
    service,
    start: NOW - startMin * MIN,
    end: lengthMin === null ? null : NOW - startMin * MIN + lengthMin * MIN,
    signals: ['probes'],
  });

  it('says when there were none, with nothing to export', async () => {
    const { section } = await renderOptions();
    expect(within(section('outages')).getByText('No outages recorded.')).toBeTruthy();
    expect(within(section('outages')).queryByRole('button', { name: 'Export as CSV' })).toBeNull();
  });

  it('lists the latest 20, most recent first, with their length or "ongoing"', async () => {
    const older = Array.from({ length: 25 }, (_, i) => outage('signal', 600 + i * 60, 5));
    const outages = [
      outage('whatsapp', 300, 123),
      ...older,
      outage('telegram', 10, null),
      outage('discord', 120, 0.5),
    ];
    const { section } = await renderOptions({ outages });
    const items = [...section('outages').querySelectorAll('li[data-outage]')];
    expect(items).toHaveLength(20);
    expect(items.slice(0, 4).map((li) => li.textContent)).toEqual([
      `Telegram · ${when(NOW - 10 * MIN)} · ongoing`,
      `Discord · ${when(NOW - 120 * MIN)} · under a minute`,
      `WhatsApp · ${when(NOW - 300 * MIN)} · 2 h 3 min`,
      `Signal · ${when(NOW - 600 * MIN)} · 5 min`,
    ]);
    expect(items[0]?.hasAttribute('data-ongoing')).toBe(true);
    expect(items.map((li) => li.getAttribute('data-outage')).slice(0, 3)).toEqual([
      'telegram',
      'discord',
      'whatsapp',
    ]);
  });

  it('gives the date of an outage older than a week instead of an ambiguous weekday', async () => {
    const start = NOW - 10 * 24 * HOUR;
    const { section } = await renderOptions({
      outages: [{ service: 'slack', start, end: start + 30 * MIN, signals: [] }],
    });
    const date = new Intl.DateTimeFormat('en', {
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
    }).format(start);
    expect(section('outages').querySelector('li[data-outage]')?.textContent).toBe(`Slack · ${date} · 30 min`);
  });

  it('downloads the whole log as detour-outages.csv', async () => {
    const outages = [outage('whatsapp', 300, 123), outage('telegram', 10, null)];
    let blob: Blob | undefined;
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blob = b as Blob;
      return 'blob:detour/outages';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const clicked: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    const { section } = await renderOptions({ outages });
    fireEvent.click(within(section('outages')).getByRole('button', { name: 'Export as CSV' }));

    expect(clicked).toHaveLength(1);
    expect(clicked[0]?.download).toBe('detour-outages.csv');
    expect(clicked[0]?.getAttribute('href')).toBe('blob:detour/outages');
    expect(clicked[0]?.isConnected).toBe(false);
    expect(blob?.type).toBe('text/csv');
    const text = await blob?.text();
    expect(text).toBe(outagesCsv(outages));
    expect(text?.split('\r\n')[0]).toBe('service,start,end,duration_minutes,signals');
    expect(screen.queryAllByRole('link')).toHaveLength(0);
  });
});
