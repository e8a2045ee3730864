// Observations from the background (src/background/checker.ts and observe-send.ts), on the in-memory
// browser of background-harness.ts: what is posted after a check, what the feed's answers do to the
// sending state in storage, the one-shot wake-up for a post due before the next check, and Firefox's
// data consent.
import { fakeBrowser } from '@webext-core/fake-browser';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { readObserveState } from '../../src/core/observe';
import { OBSERVE_ALARM } from '../../src/platform/alarms';
import { clientId } from '../../src/platform/client-id';
import { KEYS } from '../../src/platform/storage-keys';
import type { ObserveHints } from '../../src/shared/feed';
import {
  answers,
  failing,
  fireAlarm,
  loadBackground,
  requests,
  useBackgroundWorld,
  world,
} from './background-harness';
import { builtManifest } from './manifests';

vi.mock('webextension-polyfill', () => ({ default: fakeBrowser }));

useBackgroundWorld();

const FEED = 'https://feed.example.org';
const POSTS = `${FEED}/v1/observations`;

/** The feed document, with the sampling hints the server sets. */
function feedWith(observe: ObserveHints) {
  return () =>
    Response.json({
      version: 1,
      generatedAt: new Date().toISOString(),
      bucketMinutes: 15,
      services: {},
      observe,
    });
}

const posted = () =>
  requests
    .filter((r) => r.url === POSTS)
    .map((r) => ({ body: String(r.init?.body), init: r.init, parsed: JSON.parse(String(r.init?.body)) }));

async function storedObserve() {
  return readObserveState((await fakeBrowser.storage.local.get(KEYS.observe))[KEYS.observe]);
}

async function startSharing(share: boolean, observe: ObserveHints = { sample: 1, spreadSeconds: 0 }) {
  await fakeBrowser.storage.local.set({
    settings: { version: 3, feedUrl: FEED, shareObservations: share },
  });
  answers.set(`${FEED}/v1/feed`, feedWith(observe));
}

const accepted = () => Response.json({ counted: true }, { status: 202 });

describe('observations from the background', () => {
  beforeEach(() => {
    answers.set(POSTS, accepted);
  });

  it('sends nothing while sharing is off (the default), even with a feed and an app failing', async () => {
    await startSharing(false);
    await loadBackground();
    failing.add('web.whatsapp.com');
    await fireAlarm();
    await fireAlarm();
    expect(posted()).toEqual([]);
    expect(await fakeBrowser.storage.local.get('clientSecret')).toEqual({});
  });

  it('posts the probes’ picture once, then exactly one post for an app that fails, and marks each sent', async () => {
    await startSharing(true);
    await loadBackground();
    await vi.waitFor(() => expect(posted()).toHaveLength(1));
    const [first] = posted();
    expect(first?.parsed.services).toEqual({ whatsapp: 'up', telegram: 'up', signal: 'up' });
    expect(first?.parsed.client).toBe(await clientId(POSTS, Date.now()));
    expect(first?.init?.credentials).toBe('omit');
    expect(first?.init?.method).toBe('POST');
    await vi.waitFor(async () =>
      expect((await storedObserve()).sent?.services).toEqual(first?.parsed.services),
    );

    // Nothing changed: nothing more (the next "still the same" is 15 minutes away).
    await fireAlarm();
    expect(posted()).toHaveLength(1);

    failing.add('web.whatsapp.com');
    await fireAlarm();
    await vi.waitFor(() => expect(posted()).toHaveLength(2));
    const second = posted()[1];
    expect(second?.parsed.services).toEqual({ whatsapp: 'down', telegram: 'up', signal: 'up' });
    expect(new TextEncoder().encode(second?.body).byteLength).toBeLessThan(300);
    await fireAlarm();
    expect(posted()).toHaveLength(2);
  });

  it('keeps a change pending when the feed fails, and posts it again at the next check', async () => {
    await startSharing(true);
    answers.set(POSTS, () => new Response('busy', { status: 503 }));
    await loadBackground();
    await vi.waitFor(() => expect(posted()).toHaveLength(1));
    await vi.waitFor(async () => expect((await storedObserve()).pending).not.toBeNull());
    expect((await storedObserve()).sent).toBeNull();
    answers.set(POSTS, accepted);
    await fireAlarm();
    await vi.waitFor(async () => expect((await storedObserve()).sent).not.toBeNull());
    expect(posted()).toHaveLength(2);
    expect((await storedObserve()).pending).toBeNull();
  });

  it('honours Retry-After on 429: no post before it ends', async () => {
    await startSharing(true);
    answers.set(POSTS, () => new Response(null, { status: 429, headers: { 'retry-after': '600' } }));
    await loadBackground();
    await vi.waitFor(async () => expect((await storedObserve()).retryAt).not.toBeNull());
    expect((await storedObserve()).retryAt).toBeGreaterThan(Date.now() + 590_000);
    await fireAlarm();
    expect(posted()).toHaveLength(1);
  });

  it('stops posting to a feed that answers 404 (a static feed) for a day', async () => {
    await startSharing(true);
    answers.set(POSTS, () => new Response('not found', { status: 404 }));
    await loadBackground();
    await vi.waitFor(async () => expect((await storedObserve()).readOnly?.url).toBe(POSTS));
    failing.add('web.whatsapp.com');
    await fireAlarm();
    await fireAlarm();
    expect(posted()).toHaveLength(1);
  });

  it('wakes up for a post due before the next check, and posts it without probing again', async () => {
    await startSharing(true, { sample: 1, spreadSeconds: 20 });
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    await loadBackground();
    const alarm = await vi.waitUntil(() => fakeBrowser.alarms.get(OBSERVE_ALARM));
    expect(alarm.scheduledTime).toBeGreaterThan(Date.now() + 5_000);
    expect(alarm.scheduledTime).toBeLessThanOrEqual(Date.now() + 10_000);
    expect(posted()).toEqual([]);
    requests.length = 0;
    // Playing the alarm early: the wait is not over, nothing goes out, no probe is sent, and the
    // wake-up is set again.
    const wakes = vi.spyOn(fakeBrowser.alarms, 'create');
    await fakeBrowser.alarms.onAlarm.trigger(alarm);
    await vi.waitFor(() => expect(wakes).toHaveBeenCalledWith(OBSERVE_ALARM, { when: alarm.scheduledTime }));
    expect(requests).toEqual([]);
    // At its time, the pending post goes out, alone.
    vi.spyOn(Date, 'now').mockReturnValue(alarm.scheduledTime);
    await fakeBrowser.alarms.onAlarm.trigger(alarm);
    await vi.waitFor(() => expect(posted()).toHaveLength(1));
    expect(requests.map((r) => r.url)).toEqual([POSTS]);
  });

  it('is out of the sample when the feed asks for none: nothing posted, and no wake-up', async () => {
    await startSharing(true, { sample: 0, spreadSeconds: 0 });
    await loadBackground();
    await fireAlarm();
    expect(posted()).toEqual([]);
    expect(await fakeBrowser.alarms.get(OBSERVE_ALARM)).toBeFalsy();
  });
});

describe('observations from the Firefox build (built-in data consent)', () => {
  beforeEach(async () => {
    world.manifest = await builtManifest('firefox');
    vi.stubGlobal('navigator', { languages: ['it-IT'], onLine: true });
    answers.set(POSTS, accepted);
    await startSharing(true);
  });

  it('posts nothing while the data consent is not given, even with the setting on', async () => {
    await loadBackground();
    await fireAlarm();
    expect(posted()).toEqual([]);
  });

  it('posts without the country until location is allowed too', async () => {
    world.permissions.dataCollection.add('technicalAndInteraction');
    await loadBackground();
    await vi.waitFor(() => expect(posted()).toHaveLength(1));
    expect(posted()[0]?.parsed.country).toBeUndefined();
    world.permissions.dataCollection.add('locationInfo');
    failing.add('web.whatsapp.com');
    await fireAlarm();
    await vi.waitFor(() => expect(posted()).toHaveLength(2));
    expect(posted()[1]?.parsed).toMatchObject({ country: 'IT', services: { whatsapp: 'down' } });
  });
});
