import { CutoutError } from "../errors.js";
import { KERNELS_WASM, type KernelExports } from "./kernels-binary.js";

/**
 * The refinement's inner loops, compiled to WebAssembly from
 * packages/core/assembly. JavaScript reaches full speed only after V8 has
 * watched a loop run and optimised it, so a process's first photo ran the
 * refinement several times slower than the next; WebAssembly is compiled
 * before it runs (docs/benchmarks.md, "Design decisions"). The kernels
 * compute in f64 and store f32 exactly where the TypeScript did, so their
 * results are the same to the bit.
 *
 * The memory holds named regions at the bottom (`region`): the working-size
 * planes one step writes and the next reads in place (the matte, the guided
 * fit's coefficients, the colour estimate), kept from one image to the next.
 * Above them, each call copies its tile's or row's inputs in (`staging`),
 * runs a kernel and copies the results out; the kernels work tile by tile,
 * so staging stays small.
 */
let compiled: WebAssembly.Module | undefined;
let instance: Kernels | undefined;

/**
 * Compiles and instantiates the kernels off the main thread. Browsers refuse
 * to compile or instantiate a module synchronously on their main thread
 * beyond a size (4 kB in older Chromium), so a web host awaits this before
 * its first refinement (and after releaseKernels); Node does it on first use.
 */
export async function loadKernels(): Promise<void> {
  compiled ??= await webAssembly().compile(kernelBytes());
  instance ??= new Kernels((await webAssembly().instantiate(compiled, {})).exports as unknown as KernelExports);
}

/**
 * Drops the kernels' memory (a Remover closing): the next refinement starts
 * afresh. Coefficients and estimates from before then throw when read.
 */
export function releaseKernels(): void {
  instance = undefined;
}

/** The kernels' one instance (the refinement is synchronous, so calls never overlap). */
export function kernels(): Kernels {
  if (!instance) {
    try {
      compiled ??= new (webAssembly().Module)(kernelBytes());
      instance = new Kernels(new WebAssembly.Instance(compiled, {}).exports as unknown as KernelExports);
    } catch (error) {
      // Chromium's main thread refuses synchronous compilation beyond a size: the host must load them first.
      if (!(error instanceof RangeError)) throw error;
      throw new CutoutError(
        "inference_failed",
        `This runtime will not compile the image kernels synchronously (${error.message}): await loadKernels() once before the first cutout`,
        { cause: error },
      );
    }
  }
  return instance;
}

/** The runtime's WebAssembly; a runtime without it (`node --jitless`) cannot run the local engine. */
function webAssembly(): typeof WebAssembly {
  if (typeof WebAssembly === "undefined") {
    throw new CutoutError(
      "inference_failed",
      "This JavaScript runtime has no WebAssembly (is Node running with --jitless?); the local engine's image kernels need it",
    );
  }
  return WebAssembly;
}

function kernelBytes(): Uint8Array<ArrayBuffer> {
  const text = atob(KERNELS_WASM);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Linear memory: named regions kept from call to call, then one call's staging. */
export class Kernels {
  private readonly regions = new Map<string, { at: number; bytes: number; claim: number }>();
  /** How many times regions have been handed out: each hand-out's number, its claim. */
  private claims = 0;
  /** Where the regions end and staging begins. */
  private top = 0;
  /** The end of the memory anything was reserved for (and may have written); past it, memory is zero. */
  private used = 0;

  constructor(readonly exports: KernelExports) {}

  /**
   * Region `name` of at least `bytes`, which stays where it is from call to
   * call (a region that must grow moves to the top: memory never shrinks,
   * and a Remover's images are mostly one size). `dirty` is how many of its
   * first bytes may hold something: 0 when its memory is new, and so zero.
   * `claim` identifies this hand-out, for `holds`.
   */
  region(name: string, bytes: number): { at: number; dirty: number; claim: number } {
    const claim = ++this.claims;
    const known = this.regions.get(name);
    if (known && known.bytes >= bytes) {
      known.claim = claim;
      return { at: known.at, dirty: bytes, claim };
    }
    const layout = new Layout(this.top);
    const at = layout.take(bytes);
    this.top = layout.bytes;
    this.regions.set(name, { at, bytes, claim });
    const dirty = Math.min(bytes, Math.max(0, this.used - at));
    this.reserve(this.top);
    return { at, dirty, claim };
  }

  /**
   * Whether region `name` still holds what its hand-out `claim` wrote: not
   * handed out again since, nor the memory released (releaseKernels).
   */
  holds(name: string, claim: number): boolean {
    return this === instance && this.regions.get(name)?.claim === claim;
  }

  /**
   * Where `view`'s bytes are in region `name`: in place when a kernel wrote
   * them there (the view is then one on this memory), else copied in.
   */
  hold(name: string, view: ArrayBufferView): number {
    const known = this.regions.get(name);
    const onMemory = view.buffer === this.buffer;
    if (onMemory && known && view.byteOffset === known.at && known.bytes >= view.byteLength) return known.at;
    // A view of this memory elsewhere is copied out first: growing the memory would detach it.
    const source = onMemory ? new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice() : view;
    const { at } = this.region(name, view.byteLength);
    this.copyIn(at, source);
    return at;
  }

  /** Copies a typed array's bytes into memory at `at` (reserved already). */
  copyIn(at: number, view: ArrayBufferView): void {
    new Uint8Array(this.buffer, at, view.byteLength).set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
  }

  /** Copies bilinear weights along an axis (resize.ts: axisWeights) into `layout`; returns where xs0, xs1 and xw are. */
  axis(layout: Layout, weights: { xs0: Int32Array; xs1: Int32Array; xw: Float32Array }): [number, number, number] {
    const arrays = [weights.xs0, weights.xs1, weights.xw];
    const at = arrays.map((array) => layout.take(array.byteLength));
    this.reserve(layout.bytes);
    for (const [i, array] of arrays.entries()) this.copyIn(at[i], array);
    return [at[0], at[1], at[2]];
  }

  /** A layout for one call's inputs, results and working memory, above the regions. */
  staging(): Layout {
    return new Layout(this.top);
  }

  /** The memory's current buffer (views on it are taken afresh after any reserve). */
  get buffer(): ArrayBuffer {
    return this.exports.memory.buffer;
  }

  /**
   * Makes room for `bytes` and returns the memory's buffer. Growing replaces
   * the buffer, so views are taken after this, never kept across calls.
   */
  reserve(bytes: number): ArrayBuffer {
    const { memory } = this.exports;
    this.used = Math.max(this.used, bytes);
    const missing = bytes - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / PAGE));
    return memory.buffer;
  }
}

const PAGE = 65536;

/** Offsets of consecutive regions, each aligned to 16 bytes (a SIMD lane's width). */
export class Layout {
  constructor(public bytes = 0) {}

  take(bytes: number): number {
    const at = this.bytes;
    this.bytes += Math.ceil(bytes / 16) * 16;
    return at;
  }
}
