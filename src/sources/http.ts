// The one way Detour speaks HTTP: probes, connectivity controls, official status pages, the crowd feed
// and reports all go through httpRequest. It never sends the user's cookies, gives up after a timeout
// that covers the body too (driven by the injected timer, so a simulation runs it on a virtual clock),
// reads at most a given number of bytes, refuses an answer that came back over plain http after an
// https request, and says what happened as data: a typed outcome, never a throw.

export type Fetch = typeof fetch;

/** Timers are injected so a simulation can run checks on a virtual clock. */
export type SetTimer = (callback: () => void, ms: number) => () => void;

export const realTimer: SetTimer = (callback, ms) => {
  const id = setTimeout(callback, ms);
  return () => clearTimeout(id);
};

export interface HttpEnv {
  readonly fetch: Fetch;
  /** Monotonic milliseconds, for latencies. */
  readonly clock: () => number;
  readonly setTimer: SetTimer;
}

/** What came back from a previous read, to ask "has it changed?" (a 304 when not). */
export interface Validators {
  readonly etag?: string | null;
  readonly lastModified?: string | null;
}

export interface HttpRequest {
  readonly url: string;
  readonly method?: 'GET' | 'HEAD' | 'POST';
  /** 'no-cors' gives an opaque answer (no status, no body): reachability without host permission. */
  readonly mode?: 'cors' | 'no-cors';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Covers connecting, the answer and reading its body. */
  readonly timeoutMs: number;
  /** Read the body as text up to this many bytes (more: too-large); absent: the body is not read. */
  readonly maxBytes?: number;
  /** Default 'no-store': probes must not be answered from a cache. */
  readonly cache?: RequestCache;
  /** Default 'follow'; 'manual' makes a redirect an outcome of its own (the captive-portal check). */
  readonly redirect?: 'follow' | 'manual';
  /** Sent as If-None-Match / If-Modified-Since. */
  readonly validators?: Validators;
}

export type HttpOutcome =
  /** A 2xx answer (or an opaque one: `status` null). `body` is null unless maxBytes asked for it. */
  | {
      readonly kind: 'ok';
      readonly status: number | null;
      readonly body: string | null;
      readonly validators: Required<Validators>;
      readonly latencyMs: number;
    }
  | { readonly kind: 'not-modified'; readonly latencyMs: number }
  /** Any other status; the body is read (up to maxBytes) when asked, errors often explain themselves. */
  | {
      readonly kind: 'http-error';
      readonly status: number;
      readonly body: string | null;
      readonly retryAfter: string | null;
      readonly latencyMs: number;
    }
  /** With redirect: 'manual' only. */
  | { readonly kind: 'redirect'; readonly latencyMs: number }
  | { readonly kind: 'timeout'; readonly latencyMs: number }
  | { readonly kind: 'too-large'; readonly latencyMs: number }
  /** Redirected from https to plain http: whatever came back crossed the network in the clear. */
  | { readonly kind: 'insecure-redirect'; readonly latencyMs: number }
  | { readonly kind: 'unreachable'; readonly latencyMs: number };

/** A failed outcome in a few words, for a source's `problem`: the same words whichever source read it. */
export function failureProblem(
  outcome: Exclude<HttpOutcome, { kind: 'ok' } | { kind: 'not-modified' }>,
): string {
  switch (outcome.kind) {
    case 'http-error':
      return `HTTP ${outcome.status}`;
    case 'too-large':
      return 'too large';
    case 'timeout':
      return 'timeout';
    // Sent over https, answered after a redirect to http: anyone on the way could have written it.
    case 'insecure-redirect':
      return 'insecure redirect';
    default:
      return 'unreachable';
  }
}

class TooLarge extends Error {}

export async function httpRequest(env: HttpEnv, req: HttpRequest): Promise<HttpOutcome> {
  const controller = new AbortController();
  let timedOut = false;
  const cancelTimer = env.setTimer(() => {
    timedOut = true;
    controller.abort();
  }, req.timeoutMs);
  const started = env.clock();
  const latency = () => env.clock() - started;
  const headers: Record<string, string> = { ...req.headers };
  if (req.validators?.etag) headers['if-none-match'] = req.validators.etag;
  if (req.validators?.lastModified) headers['if-modified-since'] = req.validators.lastModified;
  try {
    const response = await env.fetch(req.url, {
      method: req.method ?? 'GET',
      mode: req.mode ?? 'cors',
      credentials: 'omit',
      cache: req.cache ?? 'no-store',
      redirect: req.redirect ?? 'follow',
      headers,
      ...(req.body === undefined ? {} : { body: req.body }),
      signal: controller.signal,
    });
    if (response.type === 'opaqueredirect' || (req.redirect === 'manual' && isRedirect(response.status))) {
      return { kind: 'redirect', latencyMs: latency() };
    }
    if (insecureRedirect(req.url, response)) {
      await discard(response);
      return { kind: 'insecure-redirect', latencyMs: latency() };
    }
    if (response.type === 'opaque') {
      await discard(response);
      return { kind: 'ok', status: null, body: null, validators: NO_VALIDATORS, latencyMs: latency() };
    }
    if (response.status === 304) {
      await discard(response);
      return { kind: 'not-modified', latencyMs: latency() };
    }
    const body = req.maxBytes === undefined ? null : await readBody(response, req.maxBytes);
    if (req.maxBytes === undefined) await discard(response);
    if (response.status < 200 || response.status > 299) {
      return {
        kind: 'http-error',
        status: response.status,
        body,
        retryAfter: response.headers.get('retry-after'),
        latencyMs: latency(),
      };
    }
    return {
      kind: 'ok',
      status: response.status,
      body,
      validators: { etag: response.headers.get('etag'), lastModified: response.headers.get('last-modified') },
      latencyMs: latency(),
    };
  } catch (error) {
    if (error instanceof TooLarge) return { kind: 'too-large', latencyMs: latency() };
    return { kind: timedOut ? 'timeout' : 'unreachable', latencyMs: latency() };
  } finally {
    cancelTimer();
  }
}

const NO_VALIDATORS: Required<Validators> = Object.freeze({ etag: null, lastModified: null });

function isRedirect(status: number): boolean {
  return status >= 300 && status < 400 && status !== 304;
}

/** The body is never needed: cancel it so no more bytes are downloaded. */
async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

/** Reads at most `maxBytes` of a body as text; more (declared or streamed) is TooLarge. */
async function readBody(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await discard(response);
    throw new TooLarge();
  }
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new TooLarge();
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
 * Whether fetch followed a redirect from an https URL to anything but https: what came back crossed
 * the network in the clear. (`response.url` is the URL after redirects; empty for a Response made in
 * code, which was not redirected.)
 */
export function insecureRedirect(requestUrl: string, response: Pick<Response, 'url'>): boolean {
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
