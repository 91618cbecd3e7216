/**
 * The engine process (dist/engine.js): one Remover, so the model is loaded
 * once and reused, answering the extension's requests over IPC and writing
 * each cutout where the extension planned it.
 */
import { CutoutError, isCutoutError, Remover } from "@cutout/core";
import { writeCutout } from "../write.js";
import type { Reply, Request, SerializedError } from "./protocol.js";

/** The configured engine, or why it could not be made (a bad setting): every request then fails with that. */
let remover: Remover | SerializedError | undefined;

function send(reply: Reply): void {
  process.send?.(reply);
}

function serialize(error: unknown): SerializedError {
  if (isCutoutError(error)) return error.toJSON();
  // Anything else is a bug or the runtime failing; it still reaches the user with a code.
  return new CutoutError("inference_failed", `The engine failed: ${error instanceof Error ? error.message : String(error)}`).toJSON();
}

async function handle(request: Request): Promise<void> {
  switch (request.type) {
    case "configure": {
      const { engine, quality, threads, remote } = request.settings;
      try {
        remover = new Remover({
          engine,
          quality,
          ...(threads === undefined ? {} : { threads }),
          ...(remote === undefined ? {} : { remote }),
          onModelProgress: (progress) => send({ type: "progress", ...progress }),
        });
      } catch (error) {
        remover = serialize(error);
      }
      return;
    }
    case "remove": {
      try {
        if (!(remover instanceof Remover)) {
          send({ type: "failed", id: request.id, error: remover ?? serialize(new Error("not configured")) });
          return;
        }
        const { alpha: _alpha, data, ...result } = await remover.remove(request.input, request.options);
        const output = await writeCutout(request.output, result.format, data);
        send({ type: "done", id: request.id, result: { ...result, output, bytes: data.length } });
      } catch (error) {
        send({ type: "failed", id: request.id, error: serialize(error) });
      }
      return;
    }
    case "close":
      if (remover instanceof Remover) await remover.close();
      send({ type: "closed" });
      process.disconnect?.();
      return;
  }
}

process.on("message", (request: Request) => {
  handle(request).catch((error) => process.stderr.write(`cutout engine: ${String(error)}\n`));
});
// The extension host went away (closed, crashed, reloaded): so does the model.
process.on("disconnect", () => process.exit(0));
