import type { RawAttempt } from '../core/types';

export type Fetch = typeof fetch;

/** Timers are injected so a simulation can run checks on a virtual clock. */
export type SetTimer = (callback: () => void, ms: number) => () => void;

export const realTimer: SetTimer = (callback, ms) => {
  const id = setTimeout(callback, ms);
  return () => clearTimeout(id);
};

export interface AttemptEnv {
  readonly fetch: Fetch;
  /** Monotonic milliseconds, for latencies. */
  readonly clock: () => number;
  readonly setTimer: SetTimer;
}

export interface AttemptOptions {
  readonly timeoutMs: number;
  /** With host permission the status is readable (cors); without it the answer is opaque (no-cors). */
  readonly readable: boolean;
  readonly method?: 'HEAD' | 'GET';
}

/**
 * One HTTP attempt. Never sends the user's cookies (`credentials: 'omit'`: a probe must not look
 * like the user), never uses a cached answer, and gives up after the timeout.
 */
export async function httpAttempt(
  env: AttemptEnv,
  url: string,
  options: AttemptOptions,
): Promise<RawAttempt> {
  const controller = new AbortController();
  let timedOut = false;
  const cancelTimer = env.setTimer(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  const started = env.clock();
  try {
    const response = await env.fetch(url, {
      method: options.method ?? 'HEAD',
      mode: options.readable ? 'cors' : 'no-cors',
      credentials: 'omit',
      cache: 'no-store',
      redirect: 'follow',
      signal: controller.signal,
    });
    // The body is never needed for reachability; cancel it so no bytes are downloaded.
    await response.body?.cancel().catch(() => undefined);
    const status = response.type === 'opaque' ? null : response.status;
    return { ok: true, latencyMs: env.clock() - started, status };
  } catch {
    return { ok: false, latencyMs: env.clock() - started, timedOut };
  } finally {
    cancelTimer();
  }
}

/** Reads at most `maxBytes` of a body as text; more is an error, so a huge answer cannot hurt us. */
export async function readLimitedText(response: Response, maxBytes: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new Error(`body larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    all.set(c, offset);
    offset += c.byteLength;
  }
  return new TextDecoder().decode(all);
}

/**
 * Whether fetch followed a redirect from an https URL to a plain http one (or anything but https):
 * what came back crossed the network in the clear, and a feed's answer read that way is refused.
 */
export function insecureRedirect(requestUrl: string, response: Pick<Response, 'url'>): boolean {
  // `response.url` is the URL after redirects (empty for a Response made in code: not redirected).
  if (!response.url || protocolOf(requestUrl) !== 'https:') return false;
  return protocolOf(response.url) !== 'https:';
}

function protocolOf(url: string): string | null {
  try {
    return new URL(url).protocol;
  } catch {
    return null;
  }
}
