// The background entry's test world: an in-memory browser (@webext-core/fake-browser, which each test
// file hands to webextension-polyfill with vi.mock), a scripted network and English strings. Alarms,
// storage, badge and messages are the real code paths. Call useBackgroundWorld() at the top of a file.
import { fakeBrowser } from '@webext-core/fake-browser';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import en from '../../_locales/en/messages.json';
import chromeManifest from '../../manifest.json' with { type: 'json' };
import { BADGE_STYLES } from '../../src/core/badge';
import { translatorFor } from '../../src/core/translate';
import { CHECK_ALARM } from '../../src/platform/alarms';
import { loadView } from '../../src/platform/view-store';
import type { Envelope } from '../../src/shared/protocol';
import { type FakePermissions, installFakePermissions } from './fake-permissions';

/** Host names that fail (connection error); everything else answers 204. */
export const failing = new Set<string>();
export const requests: { url: string; init: RequestInit | undefined }[] = [];

/** Scripted answers for exact URLs (the feed's endpoints); a promise holds the answer back. */
export const answers = new Map<string, () => Response | Promise<Response>>();

async function fakeFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const url = String(input);
  requests.push({ url, init });
  const answer = answers.get(url);
  if (answer) return answer();
  if (failing.has(new URL(url).hostname) || failing.has('*')) throw new TypeError('Failed to fetch');
  return new Response(null, { status: 204 });
}

const t = translatorFor(en);

/** A response as fetch gives it after following redirects to `finalUrl` (a built Response has no url). */
export function redirected(response: Response, finalUrl: string): Response {
  Object.defineProperty(response, 'url', { value: finalUrl });
  Object.defineProperty(response, 'redirected', { value: true });
  return response;
}
export const world: {
  permissions: FakePermissions;
  /** What runtime.getManifest answers: the Chrome build unless a test says otherwise. */
  manifest: object;
} = { permissions: installFakePermissions(fakeBrowser), manifest: chromeManifest };

export async function send(message: unknown): Promise<Envelope<unknown>> {
  const results = (await fakeBrowser.runtime.onMessage.trigger(message, {}, () => undefined)) as unknown[];
  return results.find((r) => r !== undefined) as Envelope<unknown>;
}

/** Waits until no check is marked as running in storage (a page sees the same). */
export async function checksDone() {
  await vi.waitFor(async () => {
    if ((await loadView()).checking !== null) throw new Error('still checking');
  });
}

export async function badge() {
  return {
    text: await fakeBrowser.action.getBadgeText({}),
    title: await fakeBrowser.action.getTitle({}),
  };
}

/** The page the toolbar button opens, as the background last set it (fake-browser has no setPopup). */
export const toolbar = { popup: '' };

export async function fireAlarm() {
  const alarm = await fakeBrowser.alarms.get(CHECK_ALARM);
  if (!alarm) throw new Error('no check alarm');
  await fakeBrowser.alarms.onAlarm.trigger(alarm);
  // The handler starts the check without awaiting it (listeners must return fast): let it finish.
  await checksDone();
  // The badge is painted after the save, from storage.
  await new Promise((resolve) => queueMicrotask(() => resolve(undefined)));
}

export async function loadBackground() {
  vi.resetModules();
  await import('../../src/background/index');
  // Let the start-up check (results are stale at install) complete.
  await vi.waitFor(async () => expect((await badge()).text).not.toBe(BADGE_STYLES.stale.text), {
    timeout: 3000,
  });
  // Start-up makes sure the alarm exists after its first paint, which packs the popup's seed with
  // CompressionStream: a few event-loop turns, not microtasks.
  await vi.waitFor(async () => expect(await fakeBrowser.alarms.get(CHECK_ALARM)).toBeDefined(), {
    timeout: 3000,
  });
}

export function useBackgroundWorld(): void {
  beforeEach(() => {
    fakeBrowser.reset();
    failing.clear();
    answers.clear();
    requests.length = 0;
    vi.stubGlobal('fetch', fakeFetch);
    Object.assign(fakeBrowser.i18n, {
      getMessage: (key: string, subs?: string[]) => t(key as never, subs),
      getUILanguage: () => 'en',
    });
    world.permissions = installFakePermissions(fakeBrowser);
    world.manifest = chromeManifest;
    Object.assign(fakeBrowser.runtime, { getManifest: () => world.manifest });
    toolbar.popup = chromeManifest.action.default_popup;
    Object.assign(fakeBrowser.action, {
      setPopup: async ({ popup }: { popup: string }) => {
        toolbar.popup = popup;
      },
    });
    vi.spyOn(console, 'info').mockImplementation(() => undefined);
    // Retries wait a second between attempts; the in-memory test has no reason to. Longer timers (the
    // request timeout) stay real: the scripted fetch answers long before them.
    const realSetTimeout = globalThis.setTimeout;
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
      if ((ms ?? 0) > 1000) return realSetTimeout(fn, ms);
      queueMicrotask(fn);
      return 0;
    }) as unknown as typeof setTimeout);
  });

  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });
}
