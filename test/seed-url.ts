// The popup's seed as tests read and forge it: the JSON the toolbar's page carries in its `view`
// parameter, packed as the background packs it (raw DEFLATE, base64url: src/platform/seed-codec.ts).
// Node's zlib stands in for the browser's CompressionStream, so a test can pack synchronously.
import { deflateRawSync, inflateRawSync } from 'node:zlib';

const SEED_PARAM = 'view';

/** `?view=…` carrying `json` as the background would pack it. */
export function seedSearch(json: string): string {
  return `?${SEED_PARAM}=${deflateRawSync(json).toString('base64url')}`;
}

/** The JSON the toolbar page's URL carries, parsed (null: none). */
export function seedJsonOf<T>(url: string | URL): T | null {
  const packed = new URL(url, 'chrome-extension://x/').searchParams.get(SEED_PARAM);
  return packed === null
    ? null
    : (JSON.parse(inflateRawSync(Buffer.from(packed, 'base64url')).toString('utf8')) as T);
}

/** `url` with its seed replaced by `json`, packed. */
export function withSeedJson(url: string | URL, json: unknown): string {
  const next = new URL(url);
  next.search = seedSearch(JSON.stringify(json));
  return next.href;
}
