import { CutoutError } from "../errors.js";
import type { OrtRuntime } from "../sessions/session.js";

/**
 * onnxruntime-node, imported by a Remover that may run the model rather than
 * with core itself. Its binaries are built for glibc only: on musl (Alpine,
 * the base of n8n's Docker image) the import fails, and the remote engine,
 * which needs no model, must still run there, with `auto` falling back to it.
 */
export async function nodeRuntime(): Promise<OrtRuntime> {
  try {
    return (await import("onnxruntime-node")) as unknown as OrtRuntime;
  } catch (error) {
    const reason = String((error as Error)?.message ?? error).split("\n")[0];
    throw new CutoutError(
      "model_unavailable",
      `onnxruntime-node cannot load on this machine (${reason}); the local engine needs Linux with glibc, macOS or Windows. The remote engine works without it.`,
      { cause: error },
    );
  }
}
