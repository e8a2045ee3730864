// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { Outage } from '../../src/core/outages';
import type { ServiceState } from '../../src/core/types';
import { RecentOutages } from '../../src/popup/outages';
import { ServiceRow } from '../../src/popup/service-row';
import { MIN, serviceState, t } from './helpers';
import { EMPTY_SNAPSHOT } from './mock-connector';

afterEach(cleanup);

const NOW = EMPTY_SNAPSHOT.now;
const when = (at: number) =>
  new Intl.DateTimeFormat('en', { weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(at);

const outage = (service: Outage['service'], agoMin: number, lengthMin: number | null): Outage => ({
  service,
  start: NOW - agoMin * MIN,
  end: lengthMin === null ? null : NOW - agoMin * MIN + lengthMin * MIN,
  signals: ['probes', 'official'],
});

describe('RecentOutages', () => {
  it('renders nothing without outages', () => {
    const { container } = render(<RecentOutages outages={[]} t={t} locale="en" now={NOW} apps={[]} />);
    expect(container.innerHTML).toBe('');
  });

  it('lists the last three, most recent first, one line each', () => {
    const outages = [
      outage('signal', 2000, 12),
      outage('whatsapp', 300, 123),
      outage('discord', 900, 60 * 26),
      outage('telegram', 15, null),
    ];
    const { container } = render(<RecentOutages outages={outages} t={t} locale="en" now={NOW} apps={[]} />);
    expect(container.querySelector('h2')?.textContent).toBe('Recent outages');
    const items = [...container.querySelectorAll('[data-outage]')];
    expect(items.map((li) => li.getAttribute('data-outage'))).toEqual(['telegram', 'whatsapp', 'discord']);
    expect(items.map((li) => li.textContent)).toEqual([
      `Telegram · ${when(NOW - 15 * MIN)} · ongoing`,
      `WhatsApp · ${when(NOW - 300 * MIN)} · 2 h 3 min`,
      `Discord · ${when(NOW - 900 * MIN)} · 1 d 2 h`,
    ]);
    const section = container.querySelector('section');
    expect(section?.getAttribute('aria-labelledby')).toBe(container.querySelector('h2')?.id);
  });
});

describe('ServiceRow tags', () => {
  const row = (state: ServiceState | undefined) =>
    render(
      <ul>
        <ServiceRow id="whatsapp" state={state} primary t={t} locale="en" apps={[]} />
      </ul>,
    ).container.querySelector('[data-service="whatsapp"]') as HTMLElement;

  it('shows a maintenance tag next to the status', () => {
    const li = row(serviceState({ status: 'degraded', maintenance: true }));
    expect(li.hasAttribute('data-maintenance')).toBe(true);
    const tag = li.querySelector('.row-main .tag-maintenance');
    expect(tag?.textContent).toBe('maintenance');
    expect(li.querySelector('.status')?.textContent?.trim()).toBe(`! ${t('statusDegraded')}`);
    expect(li.querySelector('[data-confidence]')).toBeNull();
  });

  it('marks a low-confidence verdict as uncertain', () => {
    const li = row(serviceState({ status: 'down', confidence: 'low' }));
    expect(li.hasAttribute('data-maintenance')).toBe(false);
    expect(li.querySelector('[data-confidence="low"]')?.textContent).toBe('uncertain');
    expect(li.querySelector('.tag-maintenance')).toBeNull();
  });

  it('shows no tag for a sure verdict without maintenance, nor before the first check', () => {
    for (const state of [serviceState({ confidence: 'high' }), serviceState(), undefined]) {
      const li = row(state);
      expect(li.querySelector('.tag')).toBeNull();
      expect(li.hasAttribute('data-maintenance')).toBe(false);
      cleanup();
    }
  });

  it('styles the popup with logical properties only, so it works right to left', async () => {
    const css = await import('node:fs').then((fs) => fs.readFileSync('src/popup/popup.css', 'utf8'));
    expect(css).not.toMatch(
      /(margin|padding|border)-(left|right)|\b(left|right)\s*:|text-align:\s*(left|right)/,
    );
  });
});
