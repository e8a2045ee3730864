// The background entry, wired to an in-memory browser: alarms, storage, badge and messages are the
// real code paths; only the network (fetch) and i18n are scripted.
import { fakeBrowser } from '@webext-core/fake-browser';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { BADGE_STYLES } from '../../src/core/badge';
import { PORTAL_CHECK, probeOriginPatterns } from '../../src/core/catalog';
import { DEFAULT_THRESHOLDS } from '../../src/core/thresholds';
import { CHECK_ALARM } from '../../src/platform/alarms';
import { clientId } from '../../src/platform/client-id';
import { loadView } from '../../src/platform/view-store';
import { REPORT_ANSWER_MAX_BYTES } from '../../src/shared/feed';
import {
  answers,
  badge,
  checksDone,
  failing,
  fireAlarm,
  loadBackground,
  redirected,
  requests,
  send,
  useBackgroundWorld,
  world,
} from './background-harness';
import { builtManifest } from './manifests';

vi.mock('webextension-polyfill', () => ({ default: fakeBrowser }));

useBackgroundWorld();

describe('background', () => {
  it('checks at install, paints a quiet badge and schedules the next check', async () => {
    await loadBackground();
    expect(await badge()).toEqual({ text: '', title: 'WhatsApp: up · Telegram and Signal: up' });
    const alarm = await fakeBrowser.alarms.get(CHECK_ALARM);
    expect(alarm?.periodInMinutes).toBe(1);
  });

  it('never sends cookies and never reads the cache', async () => {
    await loadBackground();
    expect(requests.length).toBeGreaterThan(0);
    for (const { url, init } of requests) {
      expect(init?.credentials).toBe('omit');
      if (url.startsWith('https://dns.google/')) {
        // Signal's official status: a CORS JSON document, revalidated with conditional requests.
        expect(init?.cache).toBe('no-cache');
        continue;
      }
      expect(init?.cache).toBe('no-store');
      expect(init?.mode).toBe('no-cors'); // no host permission granted
    }
  });

  it('checks again at once when detailed checks are granted or revoked in the browser settings', async () => {
    await loadBackground();
    const whatsappMode = () =>
      requests.find((r) => r.url.startsWith('https://web.whatsapp.com/'))?.init?.mode;
    requests.length = 0;
    // With the grant the captive-portal check runs too: the fake internet answers it as a free network.
    answers.set(PORTAL_CHECK.url, () => new Response(PORTAL_CHECK.expectedBody));
    await world.permissions.grant(probeOriginPatterns());
    await vi.waitFor(() => expect(whatsappMode()).toBe('cors')); // the status code is readable now
    await vi.waitFor(async () => expect((await badge()).text).toBe(''));
    requests.length = 0;
    await world.permissions.revoke(['https://web.whatsapp.com/*']);
    await vi.waitFor(() => expect(whatsappMode()).toBe('no-cors'));
  });

  it('turns the badge red within one check when WhatsApp fails, and quiet after recovery', async () => {
    await loadBackground();
    failing.add('web.whatsapp.com');
    requests.length = 0;
    await fireAlarm();
    expect((await badge()).text).toBe(BADGE_STYLES['primary-down'].text);
    expect((await badge()).title).toMatch(/^WhatsApp: down for under a minute · Telegram and Signal: up$/);
    expect(requests.filter((r) => r.url.includes('whatsapp')).length).toBe(
      DEFAULT_THRESHOLDS.failureAttempts,
    );
    const alarm = await fakeBrowser.alarms.get(CHECK_ALARM);
    expect(alarm?.scheduledTime).toBeLessThanOrEqual(Date.now() + 31_000); // suspect: sooner
    failing.clear();
    await fireAlarm();
    expect((await badge()).text).toBe('');
  });

  it('says offline when everything including the controls fails', async () => {
    await loadBackground();
    failing.add('*');
    await fireAlarm();
    expect(await badge()).toEqual({
      text: BADGE_STYLES.offline.text,
      title: 'You are offline, so WhatsApp cannot be checked',
    });
  });

  it('answers check-now once the check has ended (its result is in storage), and errors as errors', async () => {
    await loadBackground();
    const before = (await loadView()).state.checkedAt ?? 0;
    const checked = await send({ type: 'check-now' });
    expect(checked).toEqual({ ok: true, value: null });
    const view = await loadView();
    expect(view.state.connectivity).toBe('online');
    expect(view.state.checkedAt).toBeGreaterThanOrEqual(before);
    expect(view.checking).toBeNull();
    // Pages read state from storage: there is no message asking for it.
    expect(await send({ type: 'get-state' })).toBeUndefined();
    const bad = await send({ type: 'update-settings', patch: { checkIntervalSeconds: 5 } });
    expect(bad).toEqual({
      ok: false,
      error: { code: 'invalid-settings', message: expect.stringContaining('checkIntervalSeconds') },
    });
    expect(await send({ type: 'no-such-request' })).toBeUndefined();
  });

  it('applies a settings change and checks again with the new primary', async () => {
    await loadBackground();
    failing.add('web.telegram.org');
    const result = await send({ type: 'update-settings', patch: { primary: 'telegram' } });
    expect(result).toEqual({ ok: true, value: null });
    expect((await loadView()).settings.primary).toBe('telegram');
    await vi.waitFor(async () => expect((await badge()).text).toBe(BADGE_STYLES['primary-down'].text));
    expect((await badge()).title).toMatch(/^Telegram: down/);
  });

  it('paints the main app the user chose during a slow check, not the one the check started with', async () => {
    await loadBackground();
    // WhatsApp fails slowly: its probe hangs until released.
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    answers.set('https://web.whatsapp.com/', async () => {
      await slow;
      throw new TypeError('Failed to fetch');
    });
    const alarm = await fakeBrowser.alarms.get(CHECK_ALARM);
    if (!alarm) throw new Error('no check alarm');
    await fakeBrowser.alarms.onAlarm.trigger(alarm);
    await vi.waitFor(async () => expect((await loadView()).checking).not.toBeNull());
    // Mid-check, the user makes Telegram the main app.
    expect(await send({ type: 'update-settings', patch: { primary: 'telegram' } })).toEqual({
      ok: true,
      value: null,
    });
    release();
    await checksDone();
    // The check that started with WhatsApp as the main app has ended, and WhatsApp is down: the
    // badge still names Telegram first, amber for another app down, never WhatsApp's red.
    await vi.waitFor(async () => expect((await badge()).title).toMatch(/^Telegram: up · WhatsApp: down/));
    expect((await badge()).text).toBe(BADGE_STYLES['other-down'].text);
    // And a check with the new settings followed the one that was running.
    await vi.waitFor(() =>
      expect(requests.filter((r) => r.url === 'https://web.telegram.org/').length).toBeGreaterThanOrEqual(3),
    );
  });

  it('finishes a check the worker was stopped in the middle of, at its next start', async () => {
    // A fresh result, but a running mark left behind: the last check never ended.
    await loadBackground();
    const checkedAt = (await loadView()).state.checkedAt;
    await fakeBrowser.storage.local.set({ checking: { since: Date.now() - 5000 } });
    requests.length = 0;
    vi.resetModules();
    await import('../../src/background/index');
    await vi.waitFor(() => expect(requests.length).toBeGreaterThan(0));
    await checksDone();
    expect((await loadView()).state.checkedAt).toBeGreaterThan(checkedAt ?? 0);
  });

  it('survives corrupt storage: repairs settings key by key and starts fresh state', async () => {
    await fakeBrowser.storage.local.set({
      settings: { version: 2, primary: 'skype', checkIntervalSeconds: 300 },
      state: 'corrupt',
      history: { whatsapp: 'corrupt' },
    });
    await loadBackground();
    const { settings } = await loadView();
    expect(settings.primary).toBe('whatsapp');
    expect(settings.checkIntervalSeconds).toBe(300);
    expect((await badge()).text).toBe('');
  });

  it('shows stale results as stale on start-up, never a stuck red badge', async () => {
    const longAgo = Date.now() - 6 * 60 * 60_000;
    await fakeBrowser.storage.local.set({
      state: {
        connectivity: 'online',
        connectivityReasons: [],
        checkedAt: longAgo,
        services: {
          whatsapp: {
            status: 'down',
            since: longAgo,
            checkedAt: longAgo,
            latencyMs: null,
            reasons: [],
            recent: ['down'],
            unstable: false,
          },
        },
      },
    });
    failing.add('*'); // the start-up check cannot finish before we look
    vi.resetModules();
    const painted: string[] = [];
    const original = fakeBrowser.action.setBadgeText.bind(fakeBrowser.action);
    fakeBrowser.action.setBadgeText = async (details) => {
      painted.push(details.text ?? '');
      return original(details);
    };
    await import('../../src/background/index');
    await vi.waitFor(() => expect(painted.length).toBeGreaterThanOrEqual(2));
    expect(painted[0]).toBe(BADGE_STYLES.stale.text);
    expect(painted).not.toContain(BADGE_STYLES['primary-down'].text);
  });

  it('pauses notifications through the protocol, and resumes them', async () => {
    await loadBackground();
    const until = Date.now() + 3_600_000;
    expect(await send({ type: 'snooze', until })).toEqual({ ok: true, value: null });
    expect((await loadView()).snoozedUntil).toBe(until);
    // A check that ends afterwards keeps the pause.
    await fireAlarm();
    expect((await loadView()).snoozedUntil).toBe(until);
    await send({ type: 'snooze', until: null });
    expect((await loadView()).snoozedUntil).toBeNull();
    expect(await send({ type: 'snooze', until: 'soon' })).toBeUndefined();
  });

  it.each<[string, string, () => Response, unknown]>([
    ['no feed configured', '', () => new Response(null), { kind: 'no-feed' }],
    [
      'a static feed cannot take reports',
      'https://feed.example.org/feed.json',
      () => new Response(null),
      { kind: 'read-only-feed' },
    ],
    [
      'counted',
      'https://feed.example.org',
      () => Response.json({ counted: true }, { status: 202 }),
      { kind: 'counted' },
    ],
    [
      'a duplicate',
      'https://feed.example.org',
      () => Response.json({ counted: false, reason: 'duplicate' }, { status: 202 }),
      { kind: 'duplicate' },
    ],
    [
      'rate-limited',
      'https://feed.example.org',
      () => new Response('{}', { status: 429, headers: { 'retry-after': '42' } }),
      { kind: 'rate-limited', retryAfterSeconds: 42 },
    ],
    [
      'refused',
      'https://feed.example.org',
      () => Response.json({ error: 'invalid_report', message: 'country: must be ISO' }, { status: 400 }),
      { kind: 'rejected', message: 'country: must be ISO' },
    ],
    [
      'unreachable',
      'https://down.example.org',
      () => {
        throw new TypeError('Failed to fetch');
      },
      { kind: 'unreachable' },
    ],
    [
      'answered after a redirect from https to http (not believed)',
      'https://feed.example.org',
      () =>
        redirected(Response.json({ counted: true }, { status: 202 }), 'http://feed.example.org/v1/reports'),
      { kind: 'rejected', message: 'insecure redirect' },
    ],
    [
      'answered after a redirect that stays on https',
      'https://feed.example.org',
      () =>
        redirected(
          Response.json({ counted: true }, { status: 202 }),
          'https://reports.example.net/v1/reports',
        ),
      { kind: 'counted' },
    ],
    [
      'an answer over the size limit (not read)',
      'https://feed.example.org',
      () =>
        Response.json(
          { error: 'invalid_report', message: 'x'.repeat(REPORT_ANSWER_MAX_BYTES) },
          { status: 400 },
        ),
      { kind: 'rejected', message: 'answer too large' },
    ],
  ])('reports a problem to the feed: %s', async (_name, feedUrl, answer, outcome) => {
    await fakeBrowser.storage.local.set({ settings: { version: 2, feedUrl } });
    answers.set('https://feed.example.org/v1/reports', answer);
    answers.set('https://down.example.org/v1/reports', answer);
    await loadBackground();
    const result = (await send({ type: 'report', service: 'whatsapp', problem: 'messages' })) as unknown as {
      ok: true;
      value: unknown;
    };
    expect(result.value).toEqual(outcome);
    const post = requests.find((r) => r.init?.method === 'POST');
    if (post) {
      const body = JSON.parse(String(post.init?.body));
      expect(body).toMatchObject({ service: 'whatsapp', problem: 'messages' });
      expect(body.client).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
      // The id of this feed's origin and today (the secret is in the same storage).
      expect(body.client).toBe(await clientId(post.url, Date.now()));
      expect(post.init?.credentials).toBe('omit');
    }
  });

  it('stops reading an endless answer to a report after a few KB', async () => {
    await fakeBrowser.storage.local.set({ settings: { version: 2, feedUrl: 'https://feed.example.org' } });
    let pulled = 0;
    answers.set(
      'https://feed.example.org/v1/reports',
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            pull(controller) {
              pulled += 1024;
              controller.enqueue(new TextEncoder().encode(' '.repeat(1024)));
            },
          }),
          { status: 202 },
        ),
    );
    await loadBackground();
    const result = await send({ type: 'report', service: 'whatsapp', problem: 'messages' });
    expect(result).toEqual({ ok: true, value: { kind: 'rejected', message: 'answer too large' } });
    expect(pulled).toBeLessThan(REPORT_ANSWER_MAX_BYTES * 4);
  });

  it('sends the same client id to one feed all day, and another to another feed', async () => {
    await fakeBrowser.storage.local.set({ settings: { version: 2, feedUrl: 'https://feed.example.org' } });
    const counted = () => Response.json({ counted: true }, { status: 202 });
    answers.set('https://feed.example.org/v1/reports', counted);
    answers.set('https://other-feed.example.net/v1/reports', counted);
    await loadBackground();
    await send({ type: 'report', service: 'whatsapp', problem: 'messages' });
    await send({ type: 'report', service: 'telegram', problem: 'login' });
    await send({ type: 'update-settings', patch: { feedUrl: 'https://other-feed.example.net' } });
    await send({ type: 'report', service: 'whatsapp', problem: 'messages' });
    const clients = requests
      .filter((r) => r.init?.method === 'POST')
      .map((r) => JSON.parse(String(r.init?.body)).client);
    expect(clients).toHaveLength(3);
    expect(clients[1]).toBe(clients[0]);
    expect(clients[2]).not.toBe(clients[0]);
    expect(await fakeBrowser.storage.local.get('clientId')).toEqual({});
  });
});

describe('reports from the Firefox build (built-in data consent)', () => {
  const counted = () => Response.json({ counted: true }, { status: 202 });
  const posted = () =>
    requests.filter((r) => r.init?.method === 'POST').map((r) => JSON.parse(String(r.init?.body)));

  beforeEach(async () => {
    world.manifest = await builtManifest('firefox');
    vi.stubGlobal('navigator', { languages: ['it-IT'], onLine: true });
    await fakeBrowser.storage.local.set({ settings: { version: 2, feedUrl: 'https://feed.example.org' } });
    answers.set('https://feed.example.org/v1/reports', counted);
  });

  it('sends nothing while the user has not allowed reports', async () => {
    await loadBackground();
    const result = await send({ type: 'report', service: 'whatsapp', problem: 'messages' });
    expect(result).toEqual({ ok: true, value: { kind: 'no-consent' } });
    expect(posted()).toEqual([]);
  });

  it('sends the report without the country until location is allowed too', async () => {
    world.permissions.dataCollection.add('technicalAndInteraction');
    await loadBackground();
    await send({ type: 'report', service: 'whatsapp', problem: 'messages' });
    world.permissions.dataCollection.add('locationInfo');
    await send({ type: 'report', service: 'signal', problem: 'login' });
    const [first, second] = posted();
    expect(Object.keys(first ?? {}).sort()).toEqual(['client', 'problem', 'service']);
    expect(Object.keys(second ?? {}).sort()).toEqual(['client', 'country', 'problem', 'service']);
    expect(second).toMatchObject({ service: 'signal', problem: 'login', country: 'IT' });
  });
});
