import {
  type Envelope,
  isRequest,
  isStateChangedEvent,
  ProtocolError,
  type Request,
  type RequestArgs,
  type RequestMap,
  type RequestType,
  type Snapshot,
  type StateChangedEvent,
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

/** Background side: tells open pages that the snapshot changed. No page open is fine. */
export async function broadcastState(snapshot: Snapshot): Promise<void> {
  const event: StateChangedEvent = { type: 'state-changed', snapshot };
  await browser.runtime.sendMessage(event).catch(() => undefined);
}

/** UI side: listens for state changes; returns a function that stops listening. */
export function onStateChanged(listener: (snapshot: Snapshot) => void): () => void {
  const wrapped = (message: unknown) => {
    if (isStateChangedEvent(message)) listener(message.snapshot);
    return undefined;
  };
  browser.runtime.onMessage.addListener(wrapped);
  return () => browser.runtime.onMessage.removeListener(wrapped);
}
