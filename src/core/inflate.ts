// A raw DEFLATE decoder (RFC 1951), synchronous and small, for the popup's seed: the toolbar's page
// carries its first paint compressed (platform/seed-codec.ts), because every KB of that page's URL
// delays a tab's first frame by about 2 ms in Chromium (docs/benchmarks.md). The browser's own
// DecompressionStream is asynchronous: measured, it put 4 ms of task hops before the first paint;
// this takes about 0.5 ms for a seed with the worker running, 1.4 ms in a fresh page process. Written
// for size (it ships in the popup's first file) and for hostile input (a URL can be typed by anyone):
// every read is bounded, every code checked, and the output capped.

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

/**
 * A Huffman code as a lookup table, indexed by the stream's next `bits` bits (its first bit lowest):
 * each entry is the symbol << 4 | its code's length, 0 where no code matches. One lookup a symbol,
 * not one step a bit: the popup runs this once, before the JIT has warmed up to anything.
 */
type Huffman = readonly [table: Uint16Array, bits: number];

function huffman(lengths: ArrayLike<number>): Huffman {
  const counts = new Uint16Array(16);
  let longest = 0;
  for (let s = 0; s < lengths.length; s++) {
    const len = lengths[s] as number;
    counts[len] = (counts[len] as number) + 1;
    if (len > longest) longest = len;
  }
  counts[0] = 0;
  // The first canonical code of each length (RFC 1951, 3.2.2).
  const next = new Uint16Array(16);
  for (let len = 1, code = 0; len < 16; len++) {
    code = (code + (counts[len - 1] as number)) << 1;
    next[len] = code;
  }
  const table = new Uint16Array(1 << longest);
  for (let s = 0; s < lengths.length; s++) {
    const len = lengths[s] as number;
    if (len === 0) continue;
    // Codes are sent highest bit first, and the stream is read lowest bit first: reverse the code.
    let code = next[len] as number;
    next[len] = code + 1;
    let reversed = 0;
    for (let i = 0; i < len; i++, code >>= 1) reversed = (reversed << 1) | (code & 1);
    for (let i = reversed; i < table.length; i += 1 << len) table[i] = (s << 4) | len;
  }
  return [table, longest];
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
  // All of it at once (the seed's cap is 128 KB): nothing to grow inside the loop. A literal past
  // the end is dropped by the typed array, and the size check at the end refuses the stream.
  const out = new Uint8Array(maxBytes);
  let size = 0;

  const check = (ok: unknown) => {
    if (!ok) throw CORRUPT;
  };
  // Bits are fetched ahead, past the end as zeros, never more than two bytes past it (a code is at
  // most 15 bits); the end checks that none of those zeros was used.
  const need = (n: number) => {
    for (; bitCount < n; bitCount += 8) bitBuffer |= (input[pos++] ?? 0) << bitCount;
    check(pos <= input.length + 2);
  };
  const bits = (n: number): number => {
    need(n);
    const value = bitBuffer & ((1 << n) - 1);
    bitBuffer >>>= n;
    bitCount -= n;
    return value;
  };
  const decode = ([table, n]: Huffman): number => {
    need(n);
    const entry = table[bitBuffer & ((1 << n) - 1)] as number;
    check(entry & 15);
    bitBuffer >>>= entry & 15;
    bitCount -= entry & 15;
    return entry >> 4;
  };

  try {
    for (let last = 0; !last; ) {
      last = bits(1);
      const type = bits(2);
      if (type === 0) {
        // Stored: from the next byte boundary, LEN and its complement NLEN, then LEN bytes as they are.
        pos -= bitCount >> 3; // whole bytes fetched ahead
        bitCount = 0;
        bitBuffer = 0;
        const header = input.subarray(pos, pos + 4);
        const length = (header[0] as number) | ((header[1] as number) << 8);
        const complement = (header[2] as number) | ((header[3] as number) << 8);
        pos += 4;
        check(header.length === 4 && complement === (~length & 0xffff));
        check(pos + length <= input.length);
        check(size + length <= maxBytes);
        out.set(input.subarray(pos, pos + length), size);
        size += length;
        pos += length;
        continue;
      }
      check(type === 1 || type === 2);
      const [[table, n], distances] =
        type === 1 ? [FIXED_LITERALS, FIXED_DISTANCES] : readDynamicCodes(bits, decode, check);
      const mask = (1 << n) - 1;
      for (;;) {
        // decode(literals), written out: this runs for every byte, in a page that has just started,
        // where each call costs more than the work inside it.
        for (; bitCount < n; bitCount += 8) bitBuffer |= (input[pos++] ?? 0) << bitCount;
        const entry = table[bitBuffer & mask] as number;
        const symbol = entry >> 4;
        check(entry & 15 && pos <= input.length + 2);
        bitBuffer >>>= entry & 15;
        bitCount -= entry & 15;
        if (symbol < 256) {
          out[size++] = symbol;
          continue;
        }
        if (symbol === 256) break;
        const l = symbol - 257;
        const length = (LENGTH_BASE[l] as number) + bits(LENGTH_EXTRA[l] as number);
        const d = decode(distances);
        const distance = (DISTANCE_BASE[d] as number) + bits(DISTANCE_EXTRA[d] as number);
        // Symbols 286, 287 and distances 30, 31 have no base: NaN fails here too.
        check(distance <= size && length > 0);
        check(size + length <= maxBytes);
        // Byte by byte: a copy may overlap what it writes (a run).
        for (const end = size + length; size < end; size++) out[size] = out[size - distance] as number;
      }
    }
    // No bit read past the end was used, and nothing was written past maxBytes.
    check(pos * 8 - bitCount <= input.length * 8 && size <= maxBytes);
  } catch {
    return null;
  }
  return out.slice(0, size);
}

/** A dynamic block's literal/length and distance codes (RFC 1951, 3.2.7). */
function readDynamicCodes(
  bits: (n: number) => number,
  decode: (code: Huffman) => number,
  check: (ok: unknown) => void,
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
