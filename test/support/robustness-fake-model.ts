/**
 * A stand-in for onnxruntime that answers instantly with a fixed matte (a
 * centred disc), so the whole pipeline around the model (decode, resize,
 * guided filter, effects, encode) can be exercised thousands of times
 * without the model file or its seconds per image.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { OrtRuntime } from "../../packages/core/src/sessions/session.js";

export function fakeRuntime(size = 1024): { runtime: OrtRuntime; runs: () => number } {
  let runs = 0;
  const matte = new Float32Array(size * size);
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) matte[y * size + x] = Math.hypot(x - c, y - c) < size * 0.3 ? 1 : 0;
  const runtime: OrtRuntime = {
    Tensor: class {
      constructor(
        readonly type: string,
        readonly data: Float32Array,
        readonly dims: readonly number[],
      ) {}
    } as unknown as OrtRuntime["Tensor"],
    InferenceSession: {
      create: async () =>
        ({
          inputNames: ["input"],
          outputNames: ["output"],
          run: async () => {
            runs++;
            return { output: { data: matte.slice() } };
          },
          release: async () => undefined,
        }) as never,
    },
  };
  return { runtime, runs: () => runs };
}

/** A non-empty file to pass as modelPath, so no model is read or downloaded. */
export async function fakeModelFile(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "cutout-fake-model-"));
  const file = path.join(dir, "fake.onnx");
  await fs.writeFile(file, "not a model: the fake runtime never reads it");
  return file;
}
