import { createRequire } from "node:module";
import path from "node:path";
import type * as OrtModule from "../../packages/core/node_modules/onnxruntime-node";
import type { OrtRuntime } from "../../packages/core/src/sessions/session.js";

// The workspace root has no onnxruntime-node of its own: load core's.
const ort = createRequire(path.join(import.meta.dirname, "../../packages/core/package.json"))("onnxruntime-node") as typeof OrtModule;

/** The real onnxruntime-node, wrapped only to record the options each session is created with. */
export function recordingRuntime(): { runtime: OrtRuntime; created: unknown[] } {
  const created: unknown[] = [];
  const runtime: OrtRuntime = {
    Tensor: ort.Tensor as unknown as OrtRuntime["Tensor"],
    InferenceSession: {
      create: (model, options) => {
        created.push(options);
        return ort.InferenceSession.create(model, options ?? {}) as never;
      },
    },
  };
  return { runtime, created };
}
