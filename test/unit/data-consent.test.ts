// Firefox's built-in data consent for problem reports, on an in-memory browser running either build.
import { fakeBrowser } from '@webext-core/fake-browser';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { askReportConsent, dataConsent } from '../../src/platform/data-consent';
import { type FakePermissions, installFakePermissions } from './fake-permissions';
import { builtManifest } from './manifests';

vi.mock('webextension-polyfill', () => ({ default: fakeBrowser }));

let permissions: FakePermissions;

async function runAs(browser: 'chrome' | 'firefox') {
  const manifest = await builtManifest(browser);
  Object.assign(fakeBrowser.runtime, { getManifest: () => manifest });
}

beforeEach(() => {
  fakeBrowser.reset();
  permissions = installFakePermissions(fakeBrowser);
});

describe('report consent', () => {
  it('on Firefox, asks for report data alone (location is a separate choice) and remembers the answer', async () => {
    await runAs('firefox');
    expect(await dataConsent()).toEqual({ report: false, country: false });
    expect(await askReportConsent()).toBe(true);
    expect(permissions.requests).toEqual([['technicalAndInteraction']]);
    expect(await dataConsent()).toEqual({ report: true, country: false });
  });

  it('on Firefox, sends nothing when the user refuses', async () => {
    await runAs('firefox');
    permissions.answer = false;
    expect(await askReportConsent()).toBe(false);
    expect(await dataConsent()).toMatchObject({ report: false });
  });

  it('on Firefox, adds the country once location is allowed in the add-on manager', async () => {
    await runAs('firefox');
    permissions.dataCollection.add('technicalAndInteraction');
    permissions.dataCollection.add('locationInfo');
    expect(await dataConsent()).toEqual({ report: true, country: true });
  });

  it('on Chrome, which has no such consent, never prompts: the click on a problem is the consent', async () => {
    await runAs('chrome');
    expect(await askReportConsent()).toBe(true);
    expect(permissions.requests).toEqual([]);
    expect(await dataConsent()).toEqual({ report: true, country: true });
  });
});
