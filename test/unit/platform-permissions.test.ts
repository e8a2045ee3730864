// Detailed checks through the platform layer, on an in-memory browser whose user grants and revokes
// host permissions from Detour's button or from the browser's own settings (Firefox's Permissions tab).
import { fakeBrowser } from '@webext-core/fake-browser';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { probeOriginPatterns } from '../../src/core/catalog';
import {
  currentHostAccess,
  onHostAccessChanged,
  readableOrigins,
  requestDetailedChecks,
  turnOffDetailedChecks,
} from '../../src/platform/permissions';
import { type FakePermissions, installFakePermissions } from './fake-permissions';

vi.mock('webextension-polyfill', () => ({ default: fakeBrowser }));

const ALL = probeOriginPatterns();
let permissions: FakePermissions;

beforeEach(() => {
  fakeBrowser.reset();
  permissions = installFakePermissions(fakeBrowser);
});

describe('detailed checks (optional host permissions)', () => {
  it('are off after install, with every probe read opaquely', async () => {
    expect(await currentHostAccess()).toMatchObject({ state: 'off' });
    const canRead = await readableOrigins();
    expect(canRead('https://web.whatsapp.com/')).toBe(false);
  });

  it('asks for every optional origin at once and turns on when the user allows', async () => {
    expect(await requestDetailedChecks()).toBe(true);
    expect(permissions.requests).toEqual([ALL]);
    expect(await currentHostAccess()).toEqual({ state: 'on', missing: [] });
    const canRead = await readableOrigins();
    expect(canRead('https://discordstatus.com/api/v2/summary.json')).toBe(true);
    expect(canRead('http://detectportal.firefox.com/success.txt')).toBe(true);
  });

  it('stays off without a prompt to restore when the user refuses', async () => {
    permissions.answer = false;
    expect(await requestDetailedChecks()).toBe(false);
    expect(await currentHostAccess()).toMatchObject({ state: 'off' });
  });

  it('asks to restore them when the browser settings took one back, naming the host', async () => {
    await requestDetailedChecks();
    const changed = vi.fn();
    onHostAccessChanged(changed);
    await permissions.revoke(['https://discordstatus.com/*']);
    expect(changed).toHaveBeenCalled();
    expect(await currentHostAccess()).toEqual({ state: 'missing', missing: ['discordstatus.com'] });
    expect((await readableOrigins())('https://discordstatus.com/api/v2/summary.json')).toBe(false);
  });

  it('asks to restore them when the browser took all back', async () => {
    await requestDetailedChecks();
    await permissions.revoke(ALL);
    expect(await currentHostAccess()).toMatchObject({ state: 'missing', missing: expect.any(Array) });
    expect((await currentHostAccess()).missing).toHaveLength(ALL.length);
  });

  it('counts a grant made in the browser settings as wanted', async () => {
    await permissions.grant(['https://web.whatsapp.com/*']);
    expect((await currentHostAccess()).state).toBe('missing');
    await permissions.grant(ALL);
    expect((await currentHostAccess()).state).toBe('on');
  });

  it('gives every grant back and stops asking when turned off', async () => {
    await requestDetailedChecks();
    await permissions.revoke(['https://slack.com/*']);
    await turnOffDetailedChecks();
    expect(permissions.granted.size).toBe(0);
    expect(await currentHostAccess()).toMatchObject({ state: 'off' });
  });

  it('tells listeners about its own origins only, until unsubscribed', async () => {
    const changed = vi.fn();
    const stop = onHostAccessChanged(changed);
    await permissions.grant(['https://example.org/*']);
    expect(changed).not.toHaveBeenCalled();
    await permissions.grant(['https://web.telegram.org/*']);
    expect(changed).toHaveBeenCalledTimes(1);
    stop();
    await permissions.revoke(['https://web.telegram.org/*']);
    expect(changed).toHaveBeenCalledTimes(1);
  });
});
