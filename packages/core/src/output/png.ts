import { crc32 } from "./zip.js";

/**
 * The pure half of the PNG writer (node/png-encode.ts deflates): the "Up"
 * row filter, and the file around a zlib stream. Up stores each byte minus
 * the byte above it. A cutout's transparent rows become zeros, and so do
 * rows that repeat, and a photo's smooth areas come out small, so deflate's
 * fastest levels shrink it well: 5 to 40% smaller than the unfiltered rows
 * libvips wrote at level 3 (docs/benchmarks.md, "PNG writer"), and unlike
 * adaptive filtering, which tries all five filters on every row (4 to 7x
 * slower there), it costs one pass.
 */

/** PNG colour types by channel count: grey, RGB, RGBA. */
const COLOUR_TYPE: Record<1 | 3 | 4, number> = { 1: 0, 3: 2, 4: 6 };

/** PNG's filter type byte for "Up". */
const FILTER_UP = 2;

/**
 * Rows [y0, y1) of `pixels` (stride bytes each), each prefixed with its filter
 * byte and Up-filtered, written to `out` from offset 0. Row 0 has no row
 * above: Up leaves it as it is (PNG's rule).
 */
export function filterRowsUp(pixels: Uint8Array, stride: number, y0: number, y1: number, out: Uint8Array): void {
  const aligned = stride % 4 === 0 && pixels.byteOffset % 4 === 0;
  // Four bytes at a time where rows start on word boundaries: a bytewise
  // subtraction modulo 256 without borrows between lanes (SWAR).
  const words = aligned ? new Uint32Array(pixels.buffer, pixels.byteOffset, pixels.length >> 2) : undefined;
  const row = aligned ? new Uint32Array(stride >> 2) : undefined;
  const rowBytes = row ? new Uint8Array(row.buffer) : undefined;
  let o = 0;
  for (let y = y0; y < y1; y++) {
    out[o++] = FILTER_UP;
    const start = y * stride;
    if (y === 0) out.set(pixels.subarray(0, stride), o);
    else if (words && row && rowBytes) {
      upWords(words, start >> 2, stride >> 2, row);
      out.set(rowBytes, o);
    } else {
      for (let i = 0; i < stride; i++) out[o + i] = pixels[start + i] - pixels[start + i - stride];
    }
    o += stride;
  }
}

const HIGH = 0x80808080;

function upWords(words: Uint32Array, start: number, length: number, row: Uint32Array): void {
  for (let x = 0, i = start; x < length; x++, i++) {
    const p = words[i];
    const q = words[i - length];
    row[x] = p === q ? 0 : ((p | HIGH) - (q & ~HIGH)) ^ ((p ^ ~q) & HIGH);
  }
}

/**
 * The zlib adler32 of two byte runs joined, from each run's adler32 and the
 * second run's length (zlib's adler32_combine): stripes deflated apart give
 * the whole stream's checksum without another pass over the bytes.
 */
export function adler32Combine(first: number, second: number, secondLength: number): number {
  const BASE = 65521;
  const rem = secondLength % BASE;
  let sum1 = first & 0xffff;
  let sum2 = (rem * sum1) % BASE;
  sum1 += (second & 0xffff) + BASE - 1;
  sum2 += ((first >>> 16) & 0xffff) + ((second >>> 16) & 0xffff) + BASE - rem;
  if (sum1 >= BASE) sum1 -= BASE;
  if (sum1 >= BASE) sum1 -= BASE;
  if (sum2 >= 2 * BASE) sum2 -= 2 * BASE;
  if (sum2 >= BASE) sum2 -= BASE;
  return (sum1 | (sum2 << 16)) >>> 0;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

/**
 * A whole PNG file (8-bit, non-interlaced, filtered rows) around a zlib
 * stream given in pieces, joined into one IDAT chunk. `checksum` computes
 * chunk CRCs; a host may pass a native one.
 */
export function pngFile(
  width: number,
  height: number,
  channels: 1 | 3 | 4,
  zlibPieces: readonly Uint8Array[],
  checksum: (data: Uint8Array) => number = crc32,
): Uint8Array {
  const idatLength = zlibPieces.reduce((sum, piece) => sum + piece.length, 0);
  const out = new Uint8Array(SIGNATURE.length + 3 * 12 + 13 + idatLength);
  const view = new DataView(out.buffer);
  out.set(SIGNATURE, 0);
  let o = SIGNATURE.length;
  // Each chunk: length, type, data (written by `fill` at the offset it gets), CRC of type and data.
  const chunk = (type: string, length: number, fill: (at: number) => void) => {
    view.setUint32(o, length);
    for (let i = 0; i < 4; i++) out[o + 4 + i] = type.charCodeAt(i);
    fill(o + 8);
    view.setUint32(o + 8 + length, checksum(out.subarray(o + 4, o + 8 + length)));
    o += 12 + length;
  };
  chunk("IHDR", 13, (at) => {
    view.setUint32(at, width);
    view.setUint32(at + 4, height);
    out.set([8, COLOUR_TYPE[channels], 0, 0, 0], at + 8);
  });
  chunk("IDAT", idatLength, (at) => {
    for (const piece of zlibPieces) {
      out.set(piece, at);
      at += piece.length;
    }
  });
  chunk("IEND", 0, () => undefined);
  return out;
}
