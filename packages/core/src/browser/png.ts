import { filterRowsUp, pngFile } from "../output/png.js";

/**
 * PNG in a browser: the rows Up-filtered (output/png.ts, as the Node writer
 * does) and deflated by the browser's CompressionStream("deflate"), which
 * writes the zlib stream a PNG holds. Where there is no CompressionStream the
 * rows are stored uncompressed: a valid PNG, only larger.
 */
export async function encodePngInBrowser(pixels: Uint8Array, width: number, height: number, channels: 1 | 3 | 4): Promise<Uint8Array> {
  const stride = width * channels;
  const filtered = new Uint8Array(height * (stride + 1));
  filterRowsUp(pixels, stride, 0, height, filtered);
  const zlib = typeof CompressionStream === "function" ? await deflate(filtered) : storedZlib(filtered);
  return pngFile(width, height, channels, [zlib]);
}

async function deflate(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new CompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A zlib stream of stored (uncompressed) deflate blocks. */
export function storedZlib(data: Uint8Array): Uint8Array {
  const BLOCK = 65535;
  const blocks = Math.max(1, Math.ceil(data.length / BLOCK));
  const out = new Uint8Array(2 + data.length + blocks * 5 + 4);
  out[0] = 0x78;
  out[1] = 0x01;
  let o = 2;
  for (let b = 0; b < blocks; b++) {
    const start = b * BLOCK;
    const length = Math.min(BLOCK, data.length - start);
    out[o] = b === blocks - 1 ? 1 : 0;
    out[o + 1] = length & 0xff;
    out[o + 2] = length >> 8;
    out[o + 3] = ~length & 0xff;
    out[o + 4] = (~length >> 8) & 0xff;
    out.set(data.subarray(start, start + length), o + 5);
    o += 5 + length;
  }
  new DataView(out.buffer).setUint32(o, adler32(data));
  return out;
}

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.length; ) {
    // 5552 bytes keep the sums within 32 bits before the modulo (zlib's NMAX).
    const end = Math.min(data.length, i + 5552);
    for (; i < end; i++) {
      a += data[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}
