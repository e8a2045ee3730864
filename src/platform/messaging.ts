import {
  type Envelope,
  isRequest,
  ProtocolError,
  type Request,
  type RequestArgs,
  type RequestMap,
  type RequestType,
} from '../shared/protocol';
import { browser } from './browser';

type Handler = (request: Request) => Promise<RequestMap[RequestType]['response']>;

/** Background side: answers typed requests; an error is sent back as data, never lost. */
export function serveRequests(handle: Handler): void {
  browser.runtime.onMessage.addListener((message: unknown): Promise<Envelope<unknown>> | undefined => {
    if (!isRequest(message)) return undefined;
    return handle(message).then(
      (value) => ({ ok: true, value }),
      (error: unknown) => ({
        ok: false,
        error: {
          code: error instanceof ProtocolError ? error.code : 'internal',
          message: error instanceof Error ? error.message : String(error),
        },
      }),
    );
  });
}

/** UI side: sends a request and returns its typed answer, or throws the background's error. */
export async function request<K extends RequestType>(
  type: K,
  ...body: RequestArgs<K>
): Promise<RequestMap[K]['response']> {
  const envelope = (await browser.runtime.sendMessage({ type, ...(body[0] ?? {}) })) as
    | Envelope<RequestMap[K]['response']>
    | undefined;
  if (!envelope) throw new ProtocolError('no-answer', 'The background did not answer');
  if (!envelope.ok) throw new ProtocolError(envelope.error.code, envelope.error.message);
  return envelope.value;
}
