// How the seed travels in the toolbar page's URL (src/platform/seed-codec.ts): packed by the browser's
// CompressionStream, unpacked synchronously by the popup, and nothing but a well-formed pack accepted.
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { packSeed, unpackSeed } from '../../src/platform/seed-codec';

const CAP = 128 * 1024;
const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

describe('a packed seed', () => {
  it.each([
    ['English', JSON.stringify({ words: { messages: { statusDown: 'down', hintItsThem: 'on ’s side' } } })],
    ['Arabic, right to left', JSON.stringify({ words: { messages: { statusDown: 'متوقف' } } })],
    ['private-use slots and emoji', JSON.stringify({ t: '\u{e000} is down 🚨 \u{e001}' })],
    ['nothing', ''],
  ])('comes back unchanged: %s', async (_, json) => {
    const packed = await packSeed(json);
    expect(packed).toMatch(/^[\w-]*$/); // nothing a URL would escape
    expect(unpackSeed(packed, CAP)).toBe(json);
  });

  it('is a third of the JSON percent-encoded, for a seed as the background writes it', async () => {
    const json = JSON.stringify({
      state: {
        services: Object.fromEntries(
          ['whatsapp', 'telegram', 'signal'].map((id) => [
            id,
            { status: 'up', since: 1796057462701, reasons: [{ code: 'attemptsOk', args: [1, 1] }] },
          ]),
        ),
      },
    });
    const packed = await packSeed(json);
    expect(packed.length).toBeLessThan(new URLSearchParams({ view: json }).toString().length / 3);
  });

  it('turns bytes that are not UTF-8 into U+FFFD, which no reader of the seed accepts as JSON', () => {
    expect(unpackSeed(b64url(deflateRawSync(Buffer.from([0x7b, 0xc3, 0x7d]))), CAP)).toBe('{\ufffd}');
  });

  it.each([
    ['a character outside base64', `${b64url(deflateRawSync('{}'))}*`],
    ['percent-encoded text', '%7B%7D'],
    ['a length base64 cannot have (4n + 1)', 'AAAAA'],
    ['bytes that are not DEFLATE', b64url(Uint8Array.from([0xff, 0xff, 0xff]))],
    ['a pack past the cap', b64url(deflateRawSync(Buffer.alloc(CAP + 1, ' ')))],
  ])('is refused: %s', (_, packed) => {
    expect(unpackSeed(packed, CAP)).toBeNull();
  });
});
