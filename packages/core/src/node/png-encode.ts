import zlib from "node:zlib";
import { adler32Combine, filterRowsUp, pngFile } from "../output/png.js";
import { crc32 } from "../output/zip.js";
import { BufferPool } from "../scratch.js";

/**
 * zlib level: 2 is deflate's fast strategy with a little more matching than
 * 1. With Up-filtered rows and the stripes in parallel, the bench's 12 MP
 * cutout came out 38% smaller than the unfiltered level 3 libvips wrote, in
 * 0.6 to 0.7x its time and the same CPU time (`pnpm bench --png`; real
 * photos shrink less).
 */
const LEVEL = 2;
/**
 * Rows are deflated in stripes of a sixth of the image, but at least
 * MIN_STRIPE_BYTES and at most MAX_STRIPE_BYTES, and at most MAX_STRIPES of
 * them. Small images need several stripes to keep both cores busy: a 1 MP
 * cutout took 10-11 ms in six stripes against 13-14 ms in three of 2 MB, a
 * 0.3 MP one 4.5-5 ms in two against 6 ms in one; from 4 MP up, 2 MB stripes
 * were as fast or faster than smaller ones (one-off timings of encodePng on
 * real cutouts).
 */
const MIN_STRIPE_BYTES = 768 << 10;
const MAX_STRIPE_BYTES = 2 << 20;
const MAX_STRIPES = 16;
/** Stripes deflating at once: libuv's thread pool has four threads unless UV_THREADPOOL_SIZE says otherwise. */
const IN_FLIGHT = 4;

/**
 * Filtered stripes, reused from one image to the next (fresh memory costs
 * page faults) and shared by concurrent encodes: at most eight buffers and
 * 32 MB are kept between encodes, for the life of the process.
 */
const stripeBuffers = new BufferPool(2 * IN_FLIGHT, 32 << 20);

/** Node 20.15+ has a native CRC-32; older Nodes use the portable one. */
const checksum: (data: Uint8Array) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === "function" ? (data) => zlib.crc32(data) : crc32;

/** A stripe's deflate did not end the way the stitching relies on (another zlib build, say). */
export class UnexpectedDeflate extends Error {}

/**
 * Encodes 8-bit grey, RGB or RGBA pixels as PNG: rows Up-filtered on this
 * thread, stripe by stripe, while earlier stripes deflate on libuv's thread
 * pool in parallel; the pieces are stitched into one zlib stream (each stripe
 * ends on a byte boundary with a sync flush, and the checksums combine). The
 * output is an ordinary PNG with one IDAT chunk.
 */
export async function encodePng(pixels: Uint8Array, width: number, height: number, channels: 1 | 3 | 4): Promise<Uint8Array> {
  if (pixels.length !== width * height * channels) {
    throw new RangeError(`pixels has ${pixels.length} bytes, not ${width}x${height}x${channels}`);
  }
  const stride = width * channels;
  const stripeBytes = Math.min(MAX_STRIPE_BYTES, Math.max(MIN_STRIPE_BYTES, (height * (stride + 1)) / 6));
  const rows = Math.max(1, Math.ceil(stripeBytes / (stride + 1)), Math.ceil(height / MAX_STRIPES));
  const jobs: Promise<Stripe>[] = [];
  try {
    for (let y0 = 0, k = 0; y0 < height; y0 += rows, k++) {
      const y1 = Math.min(height, y0 + rows);
      // Keep IN_FLIGHT stripes deflating; this thread filters the next one meanwhile.
      if (k >= IN_FLIGHT) await jobs[k - IN_FLIGHT];
      const buffer = stripeBuffers.take((y1 - y0) * (stride + 1));
      filterRowsUp(pixels, stride, y0, y1, buffer);
      const job = deflateStripe(buffer, y1 === height);
      jobs.push(job);
      // Back to the pool once deflated; a failure is awaited (and reported) below.
      job.then(
        () => stripeBuffers.give(buffer),
        () => stripeBuffers.give(buffer),
      );
    }
    const stripes = await Promise.all(jobs);
    let adler = (stripes[0] as Stripe).adler;
    for (const stripe of stripes.slice(1)) adler = adler32Combine(adler, stripe.adler, stripe.length);
    const trailer = new Uint8Array(4);
    new DataView(trailer.buffer).setUint32(0, adler);
    return pngFile(width, height, channels, [(stripes[0] as Stripe).header, ...stripes.map((s) => s.body), trailer], checksum);
  } finally {
    // A stripe's buffer goes back only when its deflate is done with it, failed or not.
    await Promise.allSettled(jobs);
  }
}

export interface Stripe {
  /** The zlib header (2 bytes). */
  header: Uint8Array;
  /** Deflate blocks ending on a byte boundary; the last stripe's include the final block. */
  body: Uint8Array;
  /** adler32 and length of the stripe's uncompressed bytes. */
  adler: number;
  length: number;
}

/** The sync-flush marker (an empty stored block) and, after it, deflate's empty final block with fixed codes. */
const SYNC = [0x00, 0x00, 0xff, 0xff];
const EMPTY_FINAL = [0x03, 0x00];

/**
 * Deflates one stripe as its own zlib stream, flushed to a byte boundary
 * before it is finished, so it ends [blocks][sync marker][empty final
 * block][adler32]: the blocks join the next stripe's, and the adler32 is
 * the stripe's own.
 */
function deflateStripe(data: Uint8Array, last: boolean): Promise<Stripe> {
  return new Promise((resolve, reject) => {
    // An output buffer that holds the whole stripe lets the pool thread finish it without coming back to this one.
    const stream = zlib.createDeflate({ level: LEVEL, chunkSize: data.length + (data.length >> 8) + 1024 });
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("error", reject);
    stream.on("end", () => {
      try {
        resolve(stripeParts(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks), data.length, last));
      } catch (error) {
        reject(error);
      }
    });
    stream.write(data);
    stream.flush(zlib.constants.Z_SYNC_FLUSH, () => stream.end());
  });
}

/** Splits a stripe's zlib stream into the pieces that are stitched; UnexpectedDeflate if it does not end as deflateStripe asks. */
export function stripeParts(out: Buffer, length: number, last: boolean): Stripe {
  const n = out.length;
  const tail = [...out.subarray(Math.max(0, n - 10), n - 4)];
  if (n < 12 || tail.join() !== [...SYNC, ...EMPTY_FINAL].join()) {
    throw new UnexpectedDeflate(`a deflate stripe ended ${tail.map((b) => b.toString(16)).join(" ")}, not with a sync flush`);
  }
  return { header: out.subarray(0, 2), body: out.subarray(2, last ? n - 4 : n - 6), adler: out.readUInt32BE(n - 4), length };
}
