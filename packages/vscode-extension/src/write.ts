/**
 * Writing one cutout (in the engine process, where the bytes are): core's
 * name in the planned folder, never over an existing file unless the user
 * chose Replace. Each write is atomic (a reader or a crash never sees half a
 * file) and exclusive: a name taken meanwhile is passed over for the next
 * free one.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { CutoutError, isCutoutError, outputSuffix, writeFileAtomic } from "@cutout/core";
import type { OutputPlan } from "./engine/protocol.js";
import { freeName } from "./naming.js";

/** Writes the cutout in `format` (png, jpg...: the result's); resolves to its path. */
export async function writeCutout(plan: OutputPlan, format: string, data: Uint8Array): Promise<string> {
  const suffix = outputSuffix({ format: "auto", channels: plan.matte ? "alpha" : "rgba" }, format);
  if (plan.replace) return write(path.join(plan.dir, `${plan.stem}${suffix}`), data, false);
  for (;;) {
    const file = path.join(
      plan.dir,
      freeName(plan.stem, suffix, (name) => existsSync(path.join(plan.dir, name))),
    );
    try {
      return await write(file, data, true);
    } catch (error) {
      // Taken between the look and the write: the next free name.
      if (!(isCutoutError(error) && error.code === "output_exists")) throw error;
    }
  }
}

async function write(file: string, data: Uint8Array, exclusive: boolean): Promise<string> {
  try {
    await writeFileAtomic(file, data, { exclusive });
    return file;
  } catch (error) {
    if (isCutoutError(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new CutoutError("output_unwritable", `Cannot write ${file} (${code})`, { cause: error });
  }
}
