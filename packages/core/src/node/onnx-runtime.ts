import { CutoutError } from "../errors.js";
import type { OrtRuntime } from "../sessions/session.js";

/**
 * onnxruntime-node, imported by a Remover that may run the model rather than
 * with core itself. Its binaries are built for glibc only: on musl (Alpine,
 * the base of n8n's Docker image) the import fails, and the remote engine,
 * which needs no model, must still run there, with `auto` falling back to it.
 * The import starts at once when `now` (an engine that will need it), else
 * when first awaited.
 */
export function nodeRuntime(now: boolean): PromiseLike<OrtRuntime> {
  let started: Promise<OrtRuntime> | undefined;
  const start = () => {
    started ??= importRuntime();
    return started;
  };
  // Reported when awaited (by the model's load), never as an unhandled rejection.
  if (now) start().catch(() => undefined);
  // biome-ignore lint/suspicious/noThenProperty: a thenable on purpose, so the import starts when the engine awaits it
  return { then: (resolve, reject) => start().then(resolve, reject) };
}

async function importRuntime(): Promise<OrtRuntime> {
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
