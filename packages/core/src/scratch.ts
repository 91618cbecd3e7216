type ScratchArray = Float32Array | Float64Array | Uint8Array | Uint16Array | Int8Array;

interface ScratchType<T extends ScratchArray> {
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/**
 * Typed arrays kept from one image to the next, one per name: the model's
 * input tensor (12 MB) and the working-size alpha. Allocated afresh for
 * every image, they cost page faults (docs/benchmarks.md, "Design
 * decisions") and garbage collections
 * that land in the middle of the next inference. (The refinement's own
 * planes live in kernel memory, wasm/kernels.ts, kept the same way.) An
 * array handed out is valid until the same name is asked for again, so only
 * code that finishes with it before that may borrow it: the refinement
 * (synchronous) and the model input (consumed by one inference, which a
 * Remover runs one at a time).
 */
export class Scratch {
  private readonly buffers = new Map<string, ArrayBuffer>();

  /** `length` elements under `name`, holding whatever was last written there: for callers that write every one. */
  dirty<T extends ScratchArray>(name: string, type: ScratchType<T>, length: number): T {
    const bytes = length * type.BYTES_PER_ELEMENT;
    let buffer = this.buffers.get(name);
    if (!buffer || buffer.byteLength < bytes) {
      buffer = new ArrayBuffer(bytes);
      this.buffers.set(name, buffer);
    }
    return new type(buffer, 0, length);
  }

  /** Drops every buffer (a Remover closing). */
  clear(): void {
    this.buffers.clear();
  }
}

/**
 * Byte buffers lent out and given back, for results that outlive the
 * pipeline (a Remover's RGBA, busy until its image is encoded). At most
 * `keep` are kept, the largest, and no more than `maxBytes` in all: a
 * long-lived Remover in a server should not hold two 50 MP images' worth.
 */
export class BufferPool {
  private free: ArrayBuffer[] = [];

  constructor(
    private readonly keep: number,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {}

  /** `length` bytes, holding whatever was last written there: the smallest kept buffer that fits, else a new one. */
  take(length: number): Uint8Array {
    let best = -1;
    this.free.forEach((buffer, i) => {
      if (buffer.byteLength >= length && (best < 0 || buffer.byteLength < (this.free[best] as ArrayBuffer).byteLength)) best = i;
    });
    const buffer = best >= 0 ? (this.free.splice(best, 1)[0] as ArrayBuffer) : new ArrayBuffer(length);
    return new Uint8Array(buffer, 0, length);
  }

  /** Gives back an array from `take`, once nothing reads it any more. */
  give(array: Uint8Array): void {
    this.free.push(array.buffer as ArrayBuffer);
    this.free.sort((a, b) => b.byteLength - a.byteLength);
    this.free.length = Math.min(this.free.length, this.keep);
    let total = this.free.reduce((sum, buffer) => sum + buffer.byteLength, 0);
    while (total > this.maxBytes) total -= (this.free.shift() as ArrayBuffer).byteLength;
  }

  clear(): void {
    this.free = [];
  }
}

/**
 * Borrows from `scratch` when there is one, else allocates: the pure
 * functions take an optional Scratch, and without one behave as before.
 * For callers that write every element.
 */
export function scratchDirty<T extends ScratchArray>(scratch: Scratch | undefined, name: string, type: ScratchType<T>, length: number): T {
  return scratch ? scratch.dirty(name, type, length) : fresh(type, length);
}

function fresh<T extends ScratchArray>(type: ScratchType<T>, length: number): T {
  return new type(new ArrayBuffer(length * type.BYTES_PER_ELEMENT), 0, length);
}
