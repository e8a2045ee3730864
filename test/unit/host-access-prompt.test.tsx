// @vitest-environment happy-dom
// Detailed checks in the pages: granted, refused, taken back in the browser's settings (Firefox lets
// the user revoke each host at any time), restored or kept off, with the pages following live.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { probeOriginPatterns } from '../../src/core/catalog';
import { hostAccess } from '../../src/core/host-access';
import { OptionsApp } from '../../src/options/app';
import { PopupApp } from '../../src/popup/app';
import { popupExtras } from '../../src/popup/extras';
import { EMPTY_SNAPSHOT, mockConnector } from './mock-connector';

afterEach(cleanup);

const ALL = probeOriginPatterns();
const REVOKED = hostAccess(ALL, [], true);
const PARTIAL = hostAccess(
  ALL,
  ALL.filter((p) => !p.includes('discordstatus')),
  true,
);

async function renderPopup(access = hostAccess(ALL, [], false)) {
  const connector = mockConnector({ ...EMPTY_SNAPSHOT, stale: false });
  connector.access = access;
  const view = render(<PopupApp connector={connector} extras={popupExtras} />);
  await screen.findByRole('heading', { level: 1 });
  return { connector, root: view.container as HTMLElement };
}

async function renderOptions(access = hostAccess(ALL, [], false)) {
  const connector = mockConnector();
  connector.access = access;
  const view = render(<OptionsApp connector={connector} />);
  const root = view.container as HTMLElement;
  await waitFor(() =>
    expect(root.querySelector('[data-section="permissions"] [role="status"]')).not.toBeNull(),
  );
  return { connector, root };
}

describe('popup', () => {
  it('says nothing about detailed checks the user never asked for', async () => {
    const { root } = await renderPopup();
    await act(async () => undefined);
    expect(root.querySelector('[data-host-access]')).toBeNull();
  });

  it('says what is lost when the browser took detailed checks back, and allows them again', async () => {
    const { connector, root } = await renderPopup(REVOKED);
    await screen.findByText(/the permission was taken back in the browser's settings/);
    fireEvent.click(screen.getByRole('button', { name: 'Allow again' }));
    expect(connector.calls).toContain('request-permissions');
    await waitFor(() => expect(root.querySelector('[data-host-access]')).toBeNull());
  });

  it('names the hosts that are not allowed when only some are', async () => {
    await renderPopup(PARTIAL);
    await screen.findByText('Detailed checks are only partly allowed: Detour cannot read discordstatus.com.');
  });

  it('keeps them off on request, and stops asking', async () => {
    const { connector, root } = await renderPopup(REVOKED);
    fireEvent.click(await screen.findByRole('button', { name: 'Keep them off' }));
    expect(connector.calls).toContain('turn-off-permissions');
    await waitFor(() => expect(root.querySelector('[data-host-access]')).toBeNull());
  });

  it('shows the prompt as soon as the grant is revoked while the popup is open', async () => {
    const { connector, root } = await renderPopup(hostAccess(ALL, ALL, true));
    expect(root.querySelector('[data-host-access]')).toBeNull();
    act(() => connector.changeHostAccess(REVOKED));
    await waitFor(() => expect(root.querySelector('[data-host-access="missing"]')).not.toBeNull());
  });

  it('says so when the user refuses the browser prompt', async () => {
    const { connector } = await renderPopup(REVOKED);
    connector.grantAnswer = false;
    fireEvent.click(await screen.findByRole('button', { name: 'Allow again' }));
    await screen.findByText('Not allowed: Detour keeps checking without status codes.');
  });
});

describe('options', () => {
  it('offers detailed checks after install, and can turn them off again', async () => {
    const { connector, root } = await renderOptions();
    fireEvent.click(screen.getByRole('button', { name: 'Allow detailed checks' }));
    await screen.findByText('Detailed checks are on.');
    fireEvent.click(screen.getByRole('button', { name: 'Turn off detailed checks' }));
    expect(connector.calls).toEqual(expect.arrayContaining(['request-permissions', 'turn-off-permissions']));
    await waitFor(() =>
      expect(root.querySelector('[data-section="permissions"] [data-host-access="off"]')).not.toBeNull(),
    );
    expect(screen.getByRole('button', { name: 'Allow detailed checks' })).toBeTruthy();
  });

  it('prompts to allow again when the browser settings took them back', async () => {
    const { connector, root } = await renderOptions(hostAccess(ALL, ALL, true));
    await screen.findByText('Detailed checks are on.');
    act(() => connector.changeHostAccess(PARTIAL));
    await screen.findByText(/Detour cannot read discordstatus.com/);
    expect(root.querySelector('[data-section="permissions"] [data-host-access="missing"]')).not.toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Allow again' }));
    await screen.findByText('Detailed checks are on.');
  });
});
