import {
  type Envelope,
  ProtocolError,
  type Request,
  type RequestMap,
  type RequestType,
} from '../shared/protocol';
import { isRequest } from '../shared/request-guard';
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
