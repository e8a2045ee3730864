// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import ar from '../../_locales/ar/messages.json';
import { BADGE_STYLES } from '../../src/core/badge';
import { translatorFor } from '../../src/core/translate';
import { BADGE_ORDER } from '../../src/ui/badge-legend';
import { WelcomeApp } from '../../src/welcome/app';
import { mockConnector } from './mock-connector';

afterEach(cleanup);

async function renderWelcome(connector = mockConnector()) {
  const view = render(<WelcomeApp connector={connector} />);
  await waitFor(() => expect(view.container.querySelector('select[name="primary"]')).not.toBeNull());
  const root = view.container.querySelector('[data-page="welcome"]') as HTMLElement;
  const section = (id: string) => root.querySelector(`[data-section="${id}"]`) as HTMLElement;
  return { connector, root, section };
}

const updates = (calls: readonly string[]) =>
  calls
    .filter((c) => c.startsWith('update-settings '))
    .map((c) => JSON.parse(c.slice('update-settings '.length)));

/** '#RRGGBB' from the 'rgb(r, g, b)' or hex a style attribute holds. */
function hexOf(css: string): string {
  const rgb = css.match(/rgb\((\d+),\s*(\d+),\s*(\d+)\)/);
  if (!rgb) return css.toUpperCase();
  return `#${rgb
    .slice(1, 4)
    .map((n) => Number(n).toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase()}`;
}

describe('welcome page', () => {
  it('greets the user and offers the main app and the fallbacks from the current settings', async () => {
    const { root } = await renderWelcome();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Welcome to Detour');
    expect((root.querySelector('select[name="primary"]') as HTMLSelectElement).value).toBe('whatsapp');
    const ticked = [...root.querySelectorAll('[data-fallback-option][data-ticked]')].map((li) =>
      li.getAttribute('data-fallback-option'),
    );
    expect(ticked).toEqual(['telegram', 'signal', 'phone']);
  });

  it('saves a new main app through the settings protocol and says so', async () => {
    const { connector, root, section } = await renderWelcome();
    fireEvent.change(root.querySelector('select[name="primary"]') as HTMLSelectElement, {
      target: { value: 'telegram' },
    });
    await within(section('primary')).findByText('Saved');
    expect(updates(connector.calls)).toEqual([{ primary: 'telegram' }]);
  });

  it('reorders and unticks fallbacks, saving each change', async () => {
    const { connector, section } = await renderWelcome();
    fireEvent.click(screen.getByRole('button', { name: 'Move Signal up' }));
    await within(section('fallbacks')).findByText('Saved');
    fireEvent.click(section('fallbacks').querySelector('input[value="phone"]') as HTMLInputElement);
    await waitFor(() =>
      expect(updates(connector.calls)).toEqual([
        { fallbacks: ['signal', 'telegram', 'phone'] },
        { fallbacks: ['signal', 'telegram'] },
      ]),
    );
  });

  it('shows a refused save as an error in words', async () => {
    const connector = mockConnector();
    connector.updateSettings = () => Promise.reject(new Error('primary: not a service'));
    const { root, section } = await renderWelcome(connector);
    fireEvent.change(root.querySelector('select[name="primary"]') as HTMLSelectElement, {
      target: { value: 'signal' },
    });
    expect((await within(section('primary')).findByRole('alert')).textContent).toContain(
      'primary: not a service',
    );
  });

  it('explains every badge state with its real text and colour, and in words', async () => {
    const { root } = await renderWelcome();
    const items = [...root.querySelectorAll<HTMLElement>('#badges [data-badge]')];
    expect(items.map((li) => li.getAttribute('data-badge'))).toEqual([...BADGE_ORDER]);
    for (const li of items) {
      const kind = li.getAttribute('data-badge') as keyof typeof BADGE_STYLES;
      const swatch = li.querySelector<HTMLElement>('[data-badge-swatch]') as HTMLElement;
      expect(swatch.textContent).toBe(BADGE_STYLES[kind].text);
      if (BADGE_STYLES[kind].color)
        expect(hexOf(swatch.style.backgroundColor)).toBe(BADGE_STYLES[kind].color);
    }
    const words = items.map((li) => li.querySelector('.badge-words')?.textContent);
    expect(words[0]).toBe('no badge Everything you watch is up.');
    expect(words[1]).toBe('red badge “!” Your main app is down, confirmed by repeated checks.');
    expect(words[2]).toMatch(/^amber badge “•” Another app/);
    expect(words[3]).toMatch(/^amber badge “\?” Something is unstable/);
    expect(words[4]).toMatch(/^grey badge “×” You are offline/);
    expect(words[5]).toMatch(/^grey badge “…” Not checked yet/);
  });

  it('says what is sent (probes without cookies, status pages, optional reports) and what never is', async () => {
    const { root } = await renderWelcome();
    const sent = root.querySelector('[data-privacy="sent"]')?.textContent ?? '';
    expect(sent).toContain('without cookies');
    expect(sent).toContain('status pages');
    expect(sent).toMatch(/the app, the kind of problem, your country .* and a random id/);
    const never = root.querySelector('[data-privacy="never"]')?.textContent ?? '';
    expect(never).toContain('The pages you visit');
    expect(never).toContain('Your messages');
    expect(never).toContain('Your contacts');
  });

  it('names the keyboard shortcut when the browser has one, and nothing when it has none', async () => {
    await renderWelcome();
    expect((await screen.findByText('Open Detour from the keyboard with Alt+Shift+D.')).tagName).toBe('P');
    cleanup();
    const none = mockConnector();
    none.shortcutKeys = null;
    const second = await renderWelcome(none);
    expect(second.root.querySelector('[data-shortcut]')).toBeNull();
  });

  it('opens the full settings from its link', async () => {
    const { connector, root } = await renderWelcome();
    fireEvent.click(root.querySelector('[data-action="open-options"]') as HTMLElement);
    expect(connector.calls).toContain('open-options');
  });

  it('speaks Arabic with the Arabic catalog', async () => {
    const connector = { ...mockConnector(), t: translatorFor(ar), locale: 'ar', dir: 'rtl' as const };
    await renderWelcome(connector as ReturnType<typeof mockConnector>);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('مرحبًا بك في Detour');
    expect(screen.getByText('شارة حمراء «!»')).toBeTruthy();
  });
});
