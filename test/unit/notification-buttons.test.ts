// A notification's mute button, on an in-memory browser: it mutes the apps the notification names,
// and one shown before per-app mutes (its record names none) still pauses every alert for an hour.
import { fakeBrowser } from '@webext-core/fake-browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MuteFor } from '../../src/core/mutes';
import type { ServiceId } from '../../src/core/services';
import { onNotificationActions } from '../../src/platform/notifications';

vi.mock('webextension-polyfill', () => ({ default: fakeBrowser }));

const NOW = Date.UTC(2026, 10, 23, 14, 20);
const ID = 'detour:outage-1';

let muted: [readonly ServiceId[], MuteFor][];

beforeEach(() => {
  fakeBrowser.reset();
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
  muted = [];
  onNotificationActions({
    mute: async (services, muteFor) => {
      muted.push([services, muteFor]);
    },
  });
});

afterEach(() => {
  vi.useRealTimers();
});

async function pressMute(record: Record<string, unknown>) {
  await fakeBrowser.storage.local.set({ noticeTargets: { [ID]: record } });
  await fakeBrowser.notifications.create(ID, { type: 'basic', iconUrl: '', title: 't', message: 'm' });
  // No open button (no url): the only button, index 0, is the mute button.
  await fakeBrowser.notifications.onButtonClicked.trigger(ID, 0);
  await vi.waitFor(async () => expect(await fakeBrowser.notifications.getAll()).toEqual({}));
}

describe('a notification’s mute button', () => {
  it('mutes the apps the notification names, and pauses nothing else', async () => {
    await pressMute({
      url: null,
      title: 'WhatsApp is down',
      message: '…',
      services: ['whatsapp', 'telegram'],
      muteFor: 'until-back',
    });
    expect(muted).toEqual([[['whatsapp', 'telegram'], 'until-back']]);
    expect((await fakeBrowser.storage.local.get('snoozedUntil')).snoozedUntil).toBeUndefined();
  });

  it('on a notification shown before the update (no apps kept), pauses every alert for an hour', async () => {
    await pressMute({ url: null, title: 'WhatsApp is down', message: '…' });
    expect(muted).toEqual([]);
    expect((await fakeBrowser.storage.local.get('snoozedUntil')).snoozedUntil).toBe(NOW + 60 * 60_000);
  });

  it('does the same when the kept list of apps is empty', async () => {
    await pressMute({ url: null, title: 'WhatsApp is down', message: '…', services: [] });
    expect(muted).toEqual([]);
    expect((await fakeBrowser.storage.local.get('snoozedUntil')).snoozedUntil).toBe(NOW + 60 * 60_000);
  });
});
