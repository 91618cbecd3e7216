import zlib from "node:zlib";
import { adler32Combine, filterRowsUp, pngFile } from "../output/png.js";
import { crc32 } from "../output/zip.js";
import { BufferPool } from "../scratch.js";

/**
 * zlib level: 2 is deflate's fast strategy with a little more matching than
 * 1. With Up-filtered rows and the stripes in parallel, files come out
 * smaller than libvips' unfiltered level 3, in less time (docs/benchmarks.md,
 * "PNG writer").
 */
const LEVEL = 2;
/**
 * Rows are deflated in stripes of a sixth of the image, but at least
 * MIN_STRIPE_BYTES and at most MAX_STRIPE_BYTES, and at most MAX_STRIPES of
 * them. Small images need several stripes to keep both cores busy; from
 * 4 MP up, 2 MB stripes were as fast as smaller ones.
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
const KEPT_BUFFERS = 2 * IN_FLIGHT;
const KEPT_BYTES = 32 << 20;
const stripeBuffers = new BufferPool(KEPT_BUFFERS, KEPT_BYTES);

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
  return new PngWriter(pixels, width, height, channels).finish();
}

/**
 * encodePng's writer. `rowsReady` can start stripes before all the rows are
 * written (the file is the same, byte for byte); the engine no longer does,
 * since a PNG begun during the full-size pass gained nothing end to end
 * (docs/benchmarks.md, "Design decisions").
 */
export class PngWriter {
  private readonly stride: number;
  private readonly rows: number;
  private readonly jobs: Promise<Stripe>[] = [];
  /** The first row of the next stripe to start. */
  private next = 0;
  /** Stripes rowsReady may start: as many as the pool keeps buffers for, so that they need no new memory. */
  private readonly early: number;

  constructor(
    readonly pixels: Uint8Array,
    private readonly width: number,
    private readonly height: number,
    private readonly channels: 1 | 3 | 4,
  ) {
    if (pixels.length !== width * height * channels) {
      throw new RangeError(`pixels has ${pixels.length} bytes, not ${width}x${height}x${channels}`);
    }
    this.stride = width * channels;
    const stripeBytes = Math.min(MAX_STRIPE_BYTES, Math.max(MIN_STRIPE_BYTES, (height * (this.stride + 1)) / 6));
    this.rows = Math.max(1, Math.ceil(stripeBytes / (this.stride + 1)), Math.ceil(height / MAX_STRIPES));
    this.early = Math.max(1, Math.min(KEPT_BUFFERS, Math.floor(KEPT_BYTES / (this.rows * (this.stride + 1)))));
  }

  /**
   * Rows [0, done) are final: starts the stripes they complete, up to
   * `early` of them (a caller that has not yielded since cannot have seen
   * any finish, and each holds a filtered copy of its rows).
   */
  rowsReady(done: number): void {
    while (this.jobs.length < this.early && this.next < this.height && Math.min(this.height, this.next + this.rows) <= done) this.start();
  }

  /** The PNG, once every stripe is deflated. */
  async finish(): Promise<Uint8Array> {
    try {
      while (this.next < this.height) {
        // Keep IN_FLIGHT stripes deflating; this thread filters the next one meanwhile.
        const k = this.jobs.length;
        if (k >= IN_FLIGHT) await this.jobs[k - IN_FLIGHT];
        this.start();
      }
      const stripes = await Promise.all(this.jobs);
      let adler = (stripes[0] as Stripe).adler;
      for (const stripe of stripes.slice(1)) adler = adler32Combine(adler, stripe.adler, stripe.length);
      const trailer = new Uint8Array(4);
      new DataView(trailer.buffer).setUint32(0, adler);
      return pngFile(
        this.width,
        this.height,
        this.channels,
        [(stripes[0] as Stripe).header, ...stripes.map((s) => s.body), trailer],
        checksum,
      );
    } finally {
      await this.abandon();
    }
  }

  /** Waits for the stripes already started (their buffers go back to the pool), for a caller that will not finish. */
  async abandon(): Promise<void> {
    await Promise.allSettled(this.jobs);
  }

  private start(): void {
    const y0 = this.next;
    const y1 = Math.min(this.height, y0 + this.rows);
    const buffer = stripeBuffers.take((y1 - y0) * (this.stride + 1));
    filterRowsUp(this.pixels, this.stride, y0, y1, buffer);
    const job = deflateStripe(buffer, y1 === this.height);
    this.jobs.push(job);
    this.next = y1;
    // Back to the pool once deflated; a failure is awaited (and reported) in finish.
    job.then(
      () => stripeBuffers.give(buffer),
      () => stripeBuffers.give(buffer),
    );
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
