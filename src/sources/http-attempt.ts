import type { RawAttempt } from '../core/types';

export type Fetch = typeof fetch;

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
  fetchFn: Fetch,
  url: string,
  options: AttemptOptions,
  clock: () => number,
): Promise<RawAttempt> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  const started = clock();
  try {
    const response = await fetchFn(url, {
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
    return { ok: true, latencyMs: clock() - started, status };
  } catch {
    return { ok: false, latencyMs: clock() - started, timedOut };
  } finally {
    clearTimeout(timer);
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
