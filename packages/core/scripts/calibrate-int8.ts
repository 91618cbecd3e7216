/**
 * Calibrates static int8 quantization (src/sessions/quantize-static.ts): runs
 * the fp32 form of isnet-fp16 on the calibration photos, exactly as the
 * pipeline prepares them, and records each Conv input's and output's
 * [min, max]. The table is committed (src/sessions/isnet-int8-ranges.json);
 * the int8 model itself is rebuilt from the downloaded weights, never stored.
 *
 *   pnpm --filter @cutout/core exec tsx scripts/calibrate-int8.ts [photo ...]
 *
 * Defaults to the test fixtures (test/fixtures/ATTRIBUTION.md), never the eval
 * sets, so `pnpm eval` scores photos the calibration has not seen.
 */

import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-node";
import { decodeImage } from "../src/node/decode.js";
import { loadModelBytes } from "../src/node/load-model.js";
import { sharpResize } from "../src/node/sharp-resize.js";
import { modelInput } from "../src/pipeline.js";
import { toFloat32Model } from "../src/sessions/float32-graph.js";
import { convActivations, withOutputs } from "../src/sessions/quantize-static.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../../..");
const photos = process.argv.slice(2);
if (photos.length === 0) photos.push(join(root, "test/fixtures/car-1.jpg"), join(root, "test/fixtures/anime-girl-1.jpg"));
const out = join(here, "../src/sessions/isnet-int8-ranges.json");
/** Tensors fetched per run: all of them at once would need ~15 GB at 1024. */
const BATCH = 40;

const model = await loadModelBytes({ model: "isnet-fp16" });
const fp32 = toFloat32Model(model.bytes);
const names = convActivations(fp32);
const inputs: Float32Array[] = [];
for (const photo of photos) {
  const { image } = await decodeImage(await readFile(photo), 100_000_000);
  inputs.push(await modelInput(image, model.description, sharpResize));
}
const [w, h] = model.description.inputSize;
const ranges: Record<string, [number, number]> = {};
for (let start = 0; start < names.length; start += BATCH) {
  const batch = names.slice(start, start + BATCH);
  const session = await ort.InferenceSession.create(withOutputs(fp32, batch), { graphOptimizationLevel: "basic" });
  for (const input of inputs) {
    const result = await session.run({ input: new ort.Tensor("float32", input, [1, 3, h, w]) }, batch);
    for (const name of batch) {
      const data = result[name].data as Float32Array;
      const [lo, hi] = valueRange(data);
      const seen = ranges[name];
      ranges[name] = seen ? [Math.min(seen[0], lo), Math.max(seen[1], hi)] : [lo, hi];
    }
  }
  await session.release();
  process.stderr.write(`calibrated ${Math.min(start + BATCH, names.length)}/${names.length} tensors\n`);
}
const table = {
  model: model.name,
  sha256: createHash("sha256").update(model.bytes).digest("hex"),
  inputSize: [w, h],
  photos: photos.map((p) => basename(p)),
  ranges,
};
// One tensor per line, in the repo's JSON format (Biome's), so a recalibration reads as a diff.
const inline = (value: unknown) => JSON.stringify(value).replaceAll(",", ", ");
const { ranges: _, ...head } = table;
const lines = [
  ...Object.entries(head).map(([key, value]) => `  ${JSON.stringify(key)}: ${inline(value)},`),
  '  "ranges": {',
  Object.entries(ranges)
    .map(([name, range]) => `    ${JSON.stringify(name)}: ${inline(range)}`)
    .join(",\n"),
  "  }",
];
await writeFile(out, `{\n${lines.join("\n")}\n}\n`);
console.log(`wrote ${out}: ${names.length} tensors from ${photos.length} photos`);

/** [min, max] of a tensor's values. */
function valueRange(data: Float32Array): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}
