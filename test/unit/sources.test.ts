import { describe, expect, it } from 'vitest';
import { PORTAL_CHECK } from '../../src/core/catalog';
import { connectivitySource } from '../../src/sources/connectivity';
import { realTimer } from '../../src/sources/http';
import { probeService } from '../../src/sources/probes';
import type { SourceEnv } from '../../src/sources/source';
import { T } from './helpers';

type Script = (url: string, init?: RequestInit) => Response | Error;

interface TestContext {
  readonly env: SourceEnv;
  readonly calls: string[];
  readonly slept: number[];
  readonly readable: boolean;
}

/** The sources' I/O, answering every request with `script`. */
function context(script: Script, readable = false): TestContext {
  const calls: string[] = [];
  const slept: number[] = [];
  let clock = 0;
  return {
    calls,
    slept,
    readable,
    env: {
      fetch: async (input, init) => {
        calls.push(String(input));
        clock += 50;
        const r = script(String(input), init);
        if (r instanceof Error) throw r;
        return r;
      },
      clock: () => clock,
      setTimer: realTimer,
      sleep: async (ms) => {
        slept.push(ms);
      },
    },
  };
}

const probe = (ctx: TestContext, service: 'whatsapp' = 'whatsapp') =>
  probeService(
    ctx.env,
    { watched: [service], believed: {}, thresholds: T, canRead: () => ctx.readable, customApps: [] },
    service,
  );
const connectivity = (ctx: TestContext) =>
  connectivitySource.observe(ctx.env, { onLine: true, thresholds: T, canRead: () => ctx.readable });

describe('probes', () => {
  it('confirms a failure with quick retries, a second apart, before giving up', async () => {
    const ctx = context(() => new TypeError('Failed to fetch'));
    const obs = await probe(ctx);
    expect(obs.attempts.map((a) => a.kind)).toEqual(Array(T.failureAttempts).fill('network'));
    expect(ctx.slept).toEqual(Array(T.failureAttempts - 1).fill(T.retryDelayMs));
  });

  it('reads the status code when the user granted host permission', async () => {
    let mode: RequestMode | undefined;
    const ctx = context((_u, init) => {
      mode = init?.mode;
      return new Response('down', { status: 503 });
    }, true);
    const obs = await probe(ctx);
    expect(mode).toBe('cors');
    expect(obs.attempts[0]).toMatchObject({ kind: 'http', status: 503 });
  });

  it('makes one request when all is well', async () => {
    const ctx = context(() => new Response(null, { status: 200 }));
    expect((await probe(ctx)).attempts).toHaveLength(1);
    expect(ctx.calls).toEqual(['https://web.whatsapp.com/']);
  });
});

describe('connectivity controls and captive portal', () => {
  it('retries the controls once before reporting them unreachable', async () => {
    const ctx = context(() => new TypeError('offline'));
    const obs = await connectivity(ctx);
    expect(obs.controls.every((c) => !c.reachable)).toBe(true);
    expect(ctx.calls).toHaveLength(4);
  });

  it('skips the portal check without host permission', async () => {
    const ctx = context(() => new Response(null, { status: 204 }));
    expect((await connectivity(ctx)).portal).toBe('unchecked');
  });

  it.each<[string, Script, 'ok' | 'portal']>([
    [
      'the expected body',
      (u) =>
        new Response(u === PORTAL_CHECK.url ? 'success\n' : null, {
          status: u === PORTAL_CHECK.url ? 200 : 204,
        }),
      'ok',
    ],
    [
      'a login page instead',
      (u) =>
        new Response(u === PORTAL_CHECK.url ? '<html>Log in</html>' : null, {
          status: u === PORTAL_CHECK.url ? 200 : 204,
        }),
      'portal',
    ],
    [
      'a redirect',
      (u) =>
        u === PORTAL_CHECK.url
          ? new Response(null, { status: 302, headers: { location: 'http://portal/' } })
          : new Response(null, { status: 204 }),
      'portal',
    ],
    [
      'a huge body',
      (u) =>
        new Response(u === PORTAL_CHECK.url ? 'x'.repeat(100_000) : null, {
          status: u === PORTAL_CHECK.url ? 200 : 204,
        }),
      'portal',
    ],
  ])('with host permission, reads %s', async (_name, script, expected) => {
    const ctx = context(script, true);
    expect((await connectivity(ctx)).portal).toBe(expected);
  });
});
