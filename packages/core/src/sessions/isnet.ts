import type { InferenceSession } from "onnxruntime-common";
import { CutoutError } from "../errors.js";
import type { Plane } from "../image.js";
import type { Normalization } from "../matte/preprocess.js";
import { type Kernels, kernels } from "../wasm/kernels.js";
import type { MatteSession, OrtRuntime, SessionSettings } from "./session.js";

/**
 * The session options the engine runs ISNet with (the bench's bare session uses
 * the same). Measured on 2 cores with the int8 model (docs/benchmarks.md,
 * `tsx bench/src/speed/session-options.ts`):
 * - the CPU memory arena stays on: without it a run is 2.5 to 3 times slower;
 * - memory patterns are off: with them peak RSS is about 460 MB higher and the
 *   second run takes about twice as long (the planned block is allocated
 *   then), for runs about 6% faster from the third on.
 */
export function isnetSessionOptions(settings: SessionSettings = {}): InferenceSession.SessionOptions {
  return {
    graphOptimizationLevel: "all",
    enableMemPattern: false,
    ...(settings.threads === undefined ? {} : { intraOpNumThreads: settings.threads, interOpNumThreads: 1 }),
    ...settings.sessionOptions,
  };
}

/**
 * ISNet (Qin et al., "Highly Accurate Dichotomous Image Segmentation", 2022).
 * The graph has six side outputs; only the first (`output`, already passed
 * through a sigmoid) is the final matte, so it is the only one fetched.
 */
export class IsnetSession implements MatteSession {
  readonly family = "isnet";

  private constructor(
    private readonly runtime: OrtRuntime,
    private readonly session: InferenceSession,
    readonly inputSize: readonly [number, number],
    readonly normalization: Normalization,
  ) {}

  static async create(
    runtime: OrtRuntime,
    model: Uint8Array,
    inputSize: readonly [number, number],
    normalization: Normalization,
    settings: SessionSettings = {},
  ): Promise<IsnetSession> {
    const options = isnetSessionOptions(settings);
    try {
      const session = await runtime.InferenceSession.create(model, options);
      return new IsnetSession(runtime, session, inputSize, normalization);
    } catch (cause) {
      throw new CutoutError("model_unavailable", `The model could not be loaded by onnxruntime: ${(cause as Error).message}`, {
        cause,
      });
    }
  }

  async predict(input: Float32Array): Promise<Plane> {
    const [width, height] = this.inputSize;
    const name = this.session.inputNames[0] ?? "input";
    const output = this.session.outputNames[0] ?? "output";
    const tensor = new this.runtime.Tensor("float32", input, [1, 3, height, width]);
    let result: InferenceSession.OnnxValueMapType;
    try {
      result = await this.session.run({ [name]: tensor }, [output]);
    } catch (cause) {
      throw new CutoutError("inference_failed", `Inference failed: ${(cause as Error).message}`, { cause });
    }
    const data = result[output]?.data;
    if (!(data instanceof Float32Array) || data.length !== width * height) {
      throw new CutoutError("inference_failed", `The model returned an unexpected output for '${output}'`);
    }
    return { data: stretchToUnitRange(data), width, height };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/**
 * ISNet's sigmoid rarely reaches exactly 0 and 1; like the reference
 * implementations, stretch the prediction to the full range so confident
 * background is exactly transparent. In place: the output is ours alone.
 * The kernels valueRange and stretchRange (packages/core/assembly/stretch.ts)
 * do it, as part of the inference stage.
 */
function stretchToUnitRange(data: Float32Array): Float32Array {
  const k = kernels();
  const {
    at,
    range: [lo, hi],
  } = inKernelMemory(k, data);
  const range = hi - lo;
  // Nothing confident (an empty wall, say): stretching would turn noise into a subject.
  if (hi < 0.5 || !(range > 1e-6)) return data;
  k.exports.stretchRange(at, data.length, lo, 1 / range);
  data.set(new Float32Array(k.buffer, at, data.length));
  return data;
}

/** `data` copied into kernel staging memory, and its range (the kernel valueRange). */
function inKernelMemory(k: Kernels, data: Float32Array): { at: number; range: [number, number] } {
  const staging = k.staging();
  const at = staging.take(data.byteLength);
  const rangeAt = staging.take(16);
  k.reserve(staging.bytes);
  k.copyIn(at, data);
  k.exports.valueRange(at, data.length, rangeAt);
  const range = new Float64Array(k.buffer, rangeAt, 2);
  return { at, range: [range[0] as number, range[1] as number] };
}
