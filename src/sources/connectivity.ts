import { CONTROL_TARGETS, PORTAL_CHECK } from '../core/catalog';
import type { ConnectivityObservation } from '../core/types';
import { type Fetch, httpAttempt, readLimitedText } from './http-attempt';
import type { SignalSource, SourceContext } from './source';

/**
 * "Is it me?": controls of two different operators, retried once when both fail (one lost packet
 * must not call the user offline), and a captive-portal check where host permission allows it.
 */
export const connectivitySource = {
  id: 'connectivity',
  async observe(ctx) {
    if (!ctx.onLine) return { onLine: false, controls: [], portal: 'unchecked' };
    const probeAll = () =>
      Promise.all(
        CONTROL_TARGETS.map(async (c) => {
          const raw = await httpAttempt(ctx, c.url, {
            timeoutMs: ctx.thresholds.timeoutMs,
            readable: ctx.canRead(c.url),
          });
          return { id: c.id, reachable: raw.ok && (raw.status === null || raw.status < 500) };
        }),
      );
    let controls = await probeAll();
    if (!controls.some((c) => c.reachable)) {
      await ctx.sleep(ctx.thresholds.retryDelayMs);
      controls = await probeAll();
    }
    const portal = ctx.canRead(PORTAL_CHECK.url) ? await checkPortal(ctx.fetch, ctx) : 'unchecked';
    return { onLine: true, controls, portal } satisfies ConnectivityObservation;
  },
} as const satisfies SignalSource<'connectivity'>;

/** A portal answers plain-HTTP requests itself: a redirect or a different body gives it away. */
async function checkPortal(fetchFn: Fetch, ctx: SourceContext): Promise<ConnectivityObservation['portal']> {
  let response: Response;
  try {
    response = await fetchFn(PORTAL_CHECK.url, {
      credentials: 'omit',
      cache: 'no-store',
      redirect: 'manual',
      signal: AbortSignal.timeout(ctx.thresholds.timeoutMs),
    });
  } catch {
    // Unreachable is not a portal: the controls already tell whether the user is offline.
    return 'ok';
  }
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400))
    return 'portal';
  // Anything but the exact tiny body (a login page, a huge page) is someone else answering.
  const body = await readLimitedText(response, 4096).catch(() => null);
  return body === PORTAL_CHECK.expectedBody ? 'ok' : 'portal';
}
