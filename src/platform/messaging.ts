import {
  type Envelope,
  ProtocolError,
  type RequestArgs,
  type RequestMap,
  type RequestType,
} from '../shared/protocol';
import { browser } from './browser';

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
