// A raw DEFLATE decoder (RFC 1951), synchronous and small, for the popup's seed: the toolbar's page
// carries its first paint compressed (platform/seed-codec.ts), because every KB of that page's URL
// delays its first frame by about 2 ms in Chromium (docs/benchmarks.md). The browser's own
// DecompressionStream is asynchronous: measured, it put 4 ms of task hops before the first paint;
// this takes well under a millisecond for a seed. Written for size (it ships in the popup's first
// file) and for hostile input (a URL can be typed by anyone): every read is bounded, every code
// checked, and the output capped.

/** Code lengths are sent in this order (RFC 1951, 3.2.7). */
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** Base and extra bits of length symbols 257–285, and of distance symbols 0–29 (RFC 1951, 3.2.5). */
const LENGTH_BASE: number[] = [];
const LENGTH_EXTRA: number[] = [];
const DISTANCE_BASE: number[] = [];
const DISTANCE_EXTRA: number[] = [];
for (let i = 0, length = 3, distance = 1; i < 30; i++) {
  const lengthExtra = i < 8 || i > 27 ? 0 : (i >> 2) - 1;
  LENGTH_BASE.push(i === 28 ? 258 : length);
  LENGTH_EXTRA.push(lengthExtra);
  length += 1 << lengthExtra;
  const distanceExtra = i < 4 ? 0 : (i >> 1) - 1;
  DISTANCE_BASE.push(distance);
  DISTANCE_EXTRA.push(distanceExtra);
  distance += 1 << distanceExtra;
}

/** A canonical Huffman code: how many codes of each length, and the symbols in code order. */
type Huffman = readonly [counts: Uint16Array, symbols: Uint16Array];

function huffman(lengths: ArrayLike<number>): Huffman {
  const counts = new Uint16Array(16);
  for (let s = 0; s < lengths.length; s++) {
    const len = lengths[s] as number;
    counts[len] = (counts[len] as number) + 1;
  }
  counts[0] = 0;
  // Where each length's symbols start in `symbols`.
  const next = new Uint16Array(16);
  for (let len = 1; len < 15; len++) next[len + 1] = (next[len] as number) + (counts[len] as number);
  const symbols = new Uint16Array(lengths.length);
  for (let s = 0; s < lengths.length; s++) {
    const len = lengths[s] as number;
    if (len === 0) continue;
    const at = next[len] as number;
    symbols[at] = s;
    next[len] = at + 1;
  }
  return [counts, symbols];
}

const FIXED_LITERALS = huffman(
  Array.from({ length: 288 }, (_, s) => (s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8)),
);
const FIXED_DISTANCES = huffman(new Array<number>(30).fill(5));

/** Thrown inside, on anything that is not a valid stream; never leaves inflateRaw. */
const CORRUPT = 'corrupt';

/**
 * The bytes `input` inflates to, or null when it is not a complete raw DEFLATE stream or would
 * inflate past `maxBytes`.
 */
export function inflateRaw(input: Uint8Array, maxBytes: number): Uint8Array | null {
  let pos = 0;
  let bitBuffer = 0;
  let bitCount = 0;
  const out: number[] = [];

  const check = (ok: boolean) => {
    if (!ok) throw CORRUPT;
  };
  const bits = (n: number): number => {
    while (bitCount < n) {
      if (pos >= input.length) throw CORRUPT;
      bitBuffer |= (input[pos++] as number) << bitCount;
      bitCount += 8;
    }
    const value = bitBuffer & ((1 << n) - 1);
    bitBuffer >>>= n;
    bitCount -= n;
    return value;
  };
  // One bit at a time, canonical order (as zlib's puff.c): slow, but a seed is a few KB.
  const decode = ([counts, symbols]: Huffman): number => {
    let value = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len < 16; len++) {
      // bits(1), inlined: this runs for every bit of the stream, in a page that has not warmed up.
      if (bitCount === 0) {
        check(pos < input.length);
        bitBuffer = input[pos++] as number;
        bitCount = 8;
      }
      value |= bitBuffer & 1;
      bitBuffer >>>= 1;
      bitCount--;
      const count = counts[len] as number;
      if (value - first < count) return symbols[index + value - first] as number;
      index += count;
      first = (first + count) << 1;
      value <<= 1;
    }
    throw CORRUPT;
  };

  try {
    for (let last = 0; !last; ) {
      last = bits(1);
      const type = bits(2);
      if (type === 0) {
        // Stored: byte-aligned LEN and its complement NLEN, then LEN bytes as they are.
        bitCount = 0;
        const header = input.subarray(pos, pos + 4);
        const length = (header[0] as number) | ((header[1] as number) << 8);
        const complement = (header[2] as number) | ((header[3] as number) << 8);
        pos += 4;
        check(header.length === 4 && complement === (~length & 0xffff));
        check(pos + length <= input.length && out.length + length <= maxBytes);
        for (const byte of input.subarray(pos, pos + length)) out.push(byte);
        pos += length;
        continue;
      }
      check(type === 1 || type === 2);
      const [literals, distances] =
        type === 1 ? [FIXED_LITERALS, FIXED_DISTANCES] : readDynamicCodes(bits, decode, check);
      for (let symbol = decode(literals); symbol !== 256; symbol = decode(literals)) {
        if (symbol < 256) {
          out.push(symbol);
        } else {
          const l = symbol - 257;
          const length = (LENGTH_BASE[l] as number) + bits(LENGTH_EXTRA[l] as number);
          const d = decode(distances);
          const distance = (DISTANCE_BASE[d] as number) + bits(DISTANCE_EXTRA[d] as number);
          // Symbols 286, 287 and distances 30, 31 have no base: NaN fails here too.
          check(distance <= out.length && length > 0);
          // Byte by byte: a copy may overlap what it writes (a run).
          for (let i = 0; i < length; i++) out.push(out[out.length - distance] as number);
        }
        check(out.length <= maxBytes);
      }
    }
  } catch {
    return null;
  }
  return Uint8Array.from(out);
}

/** A dynamic block's literal/length and distance codes (RFC 1951, 3.2.7). */
function readDynamicCodes(
  bits: (n: number) => number,
  decode: (code: Huffman) => number,
  check: (ok: boolean) => void,
): [Huffman, Huffman] {
  const literalCount = bits(5) + 257;
  const distanceCount = bits(5) + 1;
  const codeLengthCount = bits(4) + 4;
  const codeLengths = new Uint8Array(19);
  for (let i = 0; i < codeLengthCount; i++) codeLengths[CODE_LENGTH_ORDER[i] as number] = bits(3);
  const lengthCode = huffman(codeLengths);
  const lengths = new Uint8Array(literalCount + distanceCount);
  for (let i = 0; i < lengths.length; ) {
    const symbol = decode(lengthCode);
    if (symbol < 16) {
      lengths[i++] = symbol;
      continue;
    }
    const repeat = symbol === 16 ? 3 + bits(2) : symbol === 17 ? 3 + bits(3) : 11 + bits(7);
    check((symbol !== 16 || i > 0) && i + repeat <= lengths.length);
    lengths.fill(symbol === 16 ? (lengths[i - 1] as number) : 0, i, i + repeat);
    i += repeat;
  }
  check(literalCount <= 286 && distanceCount <= 30 && lengths[256] !== 0);
  return [huffman(lengths.subarray(0, literalCount)), huffman(lengths.subarray(literalCount))];
}
