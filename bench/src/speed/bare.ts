import { isnetSessionOptions } from "@cutout/core/blocks";
import { loadEngineModel, threadSettings } from "@cutout/core/node";
import type { InferenceSession, Tensor } from "onnxruntime-common";
import * as ort from "onnxruntime-node";
import type { EngineChoice } from "./protocol.js";
import { elapsedSince } from "./stats.js";

/**
 * onnxruntime alone: a session built from the same bytes with the same
 * options as IsnetSession, fed a fixed random tensor. No tensor building, no
 * min-max stretch, nothing of ours.
 */
export class BareSession {
  private constructor(
    private readonly session: InferenceSession,
    private readonly feeds: Record<string, Tensor>,
    private readonly fetches: string[],
    /** Reading (and sha256-checking) the model bytes. */
    readonly modelBytesMs: number,
    readonly sessionCreateMs: number,
  ) {}

  static async create(engine: EngineChoice): Promise<BareSession> {
    let start = performance.now();
    const model = await loadEngineModel(engine);
    const modelBytesMs = elapsedSince(start);
    start = performance.now();
    const session = await ort.InferenceSession.create(model.bytes, isnetSessionOptions(threadSettings(engine.threads)));
    const sessionCreateMs = elapsedSince(start);
    const [width, height] = model.description.inputSize;
    const tensor = new ort.Tensor("float32", randomInput(3 * width * height), [1, 3, height, width]);
    const feeds = { [session.inputNames[0] ?? "input"]: tensor };
    return new BareSession(session, feeds, [session.outputNames[0] ?? "output"], modelBytesMs, sessionCreateMs);
  }

  /** One `session.run`, in milliseconds. */
  async run(): Promise<number> {
    const start = performance.now();
    await this.session.run(this.feeds, this.fetches);
    return elapsedSince(start);
  }

  release(): Promise<void> {
    return this.session.release();
  }
}

/** Values in the model's input range (mean 0.5, std 1 gives -0.5..0.5), from a fixed seed. */
export function randomInput(length: number): Float32Array {
  const out = new Float32Array(length);
  let state = 0x9e3779b9;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = (state >>> 0) / 0x100000000 - 0.5;
  }
  return out;
}
