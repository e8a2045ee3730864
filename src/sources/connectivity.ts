import { CONTROL_TARGETS, PORTAL_CHECK } from '../core/catalog';
import type { Thresholds } from '../core/thresholds';
import type { ConnectivityObservation } from '../core/types';
import { httpRequest } from './http';
import { reach } from './probes';
import type { SignalSource, SourceEnv } from './source';

export interface ConnectivityInput {
  readonly onLine: boolean;
  readonly thresholds: Thresholds;
  readonly canRead: (url: string) => boolean;
}

/**
 * "Is it me?": controls of two different operators, retried once when both fail (one lost packet
 * must not call the user offline), and a captive-portal check where host permission allows it.
 */
export const connectivitySource = {
  id: 'connectivity',
  inputOf: (ctx) => ({ onLine: ctx.onLine, thresholds: ctx.thresholds, canRead: ctx.canRead }),
  async observe(env, input) {
    if (!input.onLine) return { onLine: false, controls: [], portal: 'unchecked' };
    const probeAll = () =>
      Promise.all(
        CONTROL_TARGETS.map(async (c) => {
          const raw = await reach(env, c.url, input.thresholds.timeoutMs, input.canRead(c.url));
          return { id: c.id, reachable: raw.ok && (raw.status === null || raw.status < 500) };
        }),
      );
    let controls = await probeAll();
    if (!controls.some((c) => c.reachable)) {
      await env.sleep(input.thresholds.retryDelayMs);
      controls = await probeAll();
    }
    const portal = input.canRead(PORTAL_CHECK.url) ? await checkPortal(env, input) : 'unchecked';
    return { onLine: true, controls, portal } satisfies ConnectivityObservation;
  },
} as const satisfies SignalSource<'connectivity', ConnectivityInput>;

/** A portal answers plain-HTTP requests itself: a redirect or a different body gives it away. */
async function checkPortal(
  env: SourceEnv,
  input: ConnectivityInput,
): Promise<ConnectivityObservation['portal']> {
  const outcome = await httpRequest(env, {
    url: PORTAL_CHECK.url,
    redirect: 'manual',
    timeoutMs: input.thresholds.timeoutMs,
    maxBytes: 4096,
  });
  switch (outcome.kind) {
    case 'redirect':
      return 'portal';
    // Anything but the exact tiny body (a login page, a huge page) is someone else answering.
    case 'ok':
    case 'http-error':
      return outcome.body === PORTAL_CHECK.expectedBody ? 'ok' : 'portal';
    case 'too-large':
      return 'portal';
    // Unreachable is not a portal: the controls already tell whether the user is offline.
    default:
      return 'ok';
  }
}
