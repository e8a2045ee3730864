// How the popup's seed travels in the toolbar page's URL: JSON, raw DEFLATE, base64url. Each KB of
// that URL delays the page's first frame by about 2 ms in Chromium (docs/benchmarks.md), and the JSON
// percent-encoded took 4.2 KB in English, 7.1 KB in Arabic; packed, 1.3 and 1.7 KB (0.9 and 1.2 with
// only the words of its view, first-paint-words.ts). The worker packs with the browser's
// CompressionStream; the popup unpacks synchronously (core/inflate.ts), because its first paint must
// not wait for the asynchronous DecompressionStream.

import { inflateRaw } from '../core/inflate';

/** `json` deflated and written in base64url (no padding): only characters a URL carries as they are. */
export async function packSeed(json: string): Promise<string> {
  const deflate = new CompressionStream('deflate-raw');
  const writer = deflate.writable.getWriter();
  // Not awaited: the write resolves only as the output is read (below); a failure shows there too.
  writer.write(new TextEncoder().encode(json)).catch(() => undefined);
  writer.close().catch(() => undefined);
  const reader = deflate.readable.getReader();
  let binary = '';
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    for (const byte of chunk.value) binary += String.fromCharCode(byte);
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The JSON text `packed` carries, or null when it is not base64 of raw DEFLATE. Text that is not
 * UTF-8 comes out with U+FFFD in it, which the seed's readers refuse like any other bad value.
 */
export function unpackSeed(packed: string, maxBytes: number): string | null {
  let binary: string;
  try {
    binary = atob(packed.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return null; // not base64 (a length of 4n + 1, a character outside it)
  }
  // A loop, not Uint8Array.from with a callback: a call a byte costs 0.3 ms in a fresh page.
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const json = inflateRaw(bytes, maxBytes);
  return json && new TextDecoder().decode(json);
}
