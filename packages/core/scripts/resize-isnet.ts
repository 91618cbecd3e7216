/**
 * Writes a size-free copy of an ISNet model (see resize-isnet.ts) next to the
 * cached original, `<cacheDir>/models/<name>-anysize-<sha256 12>.onnx`, and
 * prints its path and sha256. Never writes into the repository.
 *
 *   tsx packages/core/scripts/resize-isnet.ts [isnet-fp16|isnet-q8]
 */
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { loadModel } from "@cutout/models";
import { makeIsnetSizeFree } from "../src/sessions/resize-isnet.js";

const name = process.argv[2] ?? "isnet-fp16";
const loaded = await loadModel({ model: name });
const { bytes, report } = makeIsnetSizeFree(new Uint8Array(await readFile(loaded.path)));
const sha256 = createHash("sha256").update(bytes).digest("hex");
const file = path.join(path.dirname(loaded.path), `${name}-anysize-${sha256.slice(0, 12)}.onnx`);
await writeFile(file, bytes);
process.stdout.write(
  `${JSON.stringify({ source: loaded.path, sourceSha256: loaded.sha256, file, sha256, bytes: bytes.length, ...report })}\n`,
);
