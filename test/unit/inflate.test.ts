// The popup's own DEFLATE decoder (src/core/inflate.ts) against zlib, and against streams made to
// break it: a seed arrives in a URL, which anyone can type.
import { readFileSync } from 'node:fs';
import { constants, deflateRawSync, type ZlibOptions } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflateRaw } from '../../src/core/inflate';

const MB = 1 << 20;
const inflate = (bytes: Uint8Array, max = MB) => {
  const out = inflateRaw(bytes, max);
  return out && Buffer.from(out);
};

/** Deterministic bytes: a seeded generator, so a failure can be replayed. */
function randomBytes(seed: number, length: number, alphabet: number, repeats: number): Buffer {
  let x = seed || 1;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    out[i] =
      i > 0 && next() < repeats
        ? (out[i - 1 - Math.floor(next() * Math.min(i, 40_000))] as number)
        : Math.floor(next() * alphabet);
  }
  return out;
}

const arabicSeed = JSON.stringify({
  words: {
    locale: 'ar',
    messages: { headlineDown: ' متوقف · منذ ', hintOffline: 'المشكلة في اتصالك، لا في التطبيقات.' },
  },
});
const inputs: [string, Buffer][] = [
  ['nothing', Buffer.alloc(0)],
  ['one byte', Buffer.from('a')],
  ['a seed in Arabic', Buffer.from(arabicSeed)],
  ['a long run (overlapping copies)', Buffer.alloc(100_000, 'x')],
  ['the README', readFileSync(new URL('../../README.md', import.meta.url))],
  ['text with far repeats (distances up to 32 KB)', randomBytes(7, 90_000, 64, 0.5)],
  ['noise that does not compress', randomBytes(11, 70_000, 256, 0)],
];
const options: [string, ZlibOptions][] = [
  ['stored blocks (level 0)', { level: 0 }],
  ['fixed codes', { strategy: constants.Z_FIXED }],
  ['Huffman only', { strategy: constants.Z_HUFFMAN_ONLY }],
  ['runs only', { strategy: constants.Z_RLE }],
  ['level 1', { level: 1 }],
  ['the default level', {}],
  ['level 9, smallest window', { level: 9, windowBits: 8 }],
];

describe('inflateRaw', () => {
  for (const [what, input] of inputs) {
    it.each(options)(`gives back ${what} as zlib deflated it: %s`, (_, opts) => {
      expect(inflate(deflateRawSync(input, opts))?.equals(input)).toBe(true);
    });
  }

  it('gives back 200 random texts of every size and kind, at every level', () => {
    for (let i = 0; i < 200; i++) {
      const input = randomBytes(i + 1, (i * 997) % 20_000, 1 + ((i * 37) % 256), (i % 10) / 10);
      expect(inflate(deflateRawSync(input, { level: i % 10 }))?.equals(input), `input ${i}`).toBe(true);
    }
  });

  const seed = deflateRawSync(Buffer.from(arabicSeed));
  const dynamic = deflateRawSync(readFileSync(new URL('../../README.md', import.meta.url)));
  it.each([
    ['an empty stream', new Uint8Array()],
    ['a stream cut short', seed.subarray(0, seed.length - 3)],
    ['a dynamic block cut in its code lengths', dynamic.subarray(0, 20)],
    ['block type 3, which does not exist', new Uint8Array([0b111])],
    ['a stored block whose length fails its complement', new Uint8Array([1, 5, 0, 0, 0, 65, 66, 67, 68, 69])],
    ['a stored block longer than the stream', new Uint8Array([1, 5, 0, 0xfa, 0xff, 65])],
  ])('returns null for %s', (_, bytes) => {
    expect(inflateRaw(bytes, MB)).toBeNull();
  });

  it('returns null for a copy that reaches back before the first byte', () => {
    // Fixed codes: the length symbol 257 (copy 3) right away, distance code 0 (1 back), nothing to copy.
    // Bits, first to last: BFINAL 1, BTYPE 1 (01 read low first), 257 = 0000001 (7 bits), distance 00000.
    const bits = [1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0];
    const bytes = new Uint8Array(Math.ceil(bits.length / 8) + 1);
    bits.forEach((bit, i) => {
      bytes[i >> 3] = (bytes[i >> 3] as number) | (bit << (i & 7));
    });
    expect(inflateRaw(bytes, MB)).toBeNull();
  });

  it('stops at its cap: a 1 KB stream that would unpack to 10 MB is refused', () => {
    const bomb = deflateRawSync(Buffer.alloc(10 * MB));
    expect(bomb.length).toBeLessThan(11_000);
    expect(inflateRaw(bomb, 512 * 1024)).toBeNull();
    expect(inflateRaw(deflateRawSync(Buffer.alloc(512 * 1024)), 512 * 1024)?.length).toBe(512 * 1024);
  });

  it('never throws and never hangs on damaged streams: 3,000 with bits flipped or bytes cut', () => {
    for (let i = 0; i < 3000; i++) {
      const damaged = Uint8Array.from(i % 2 ? dynamic : seed);
      const at = (i * 7919) % damaged.length;
      damaged[at] = (damaged[at] as number) ^ (1 << (i % 8));
      const cut = i % 3 === 0 ? damaged.subarray(0, at) : damaged;
      const out = inflateRaw(cut, 256 * 1024);
      expect(out === null || out instanceof Uint8Array).toBe(true);
    }
  });
});
