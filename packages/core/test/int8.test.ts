import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { iouAtHalf } from "../../../test/support/mattes.js";
import { CutoutError } from "../src/errors.js";
import { decodeImage } from "../src/node/decode.js";
import { type EngineModel, loadEngineModel } from "../src/node/engine-model.js";
import { loadModelBytes } from "../src/node/load-model.js";
import { sharpResize } from "../src/node/sharp-resize.js";
import { modelInput } from "../src/pipeline.js";
import { FLOAT16, graphOf, INT8, toFloat32Model } from "../src/sessions/float32-graph.js";
import { all, encode, type Field, get, intField, msgField, str, strField, sub } from "../src/sessions/onnx-wire.js";
import {
  activationParams,
  convActivations,
  quantizeConvs,
  quantizeWeights,
  WEIGHT_LEVELS,
  withOutputs,
} from "../src/sessions/quantize-static.js";

const FIXTURES = join(import.meta.dirname, "../../../test/fixtures");

/** A two-Conv fp16 model (3 -> 8 channels, ReLU, 8 -> 1), fp16 weights stored as int32_data like some exporters do. */
function tinyFp16Model(): Uint8Array {
  let seed = 7;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31 - 0.5;
  };
  const half = (v: number) => {
    const f = new Float32Array([v]);
    const bits = new Uint32Array(f.buffer)[0];
    const sign = (bits >>> 16) & 0x8000;
    const exp = ((bits >>> 23) & 0xff) - 127 + 15;
    return exp <= 0 ? sign : sign | (exp << 10) | ((bits >>> 13) & 0x3ff);
  };
  const tensor = (name: string, dims: number[]) => {
    const n = dims.reduce((a, b) => a * b, 1);
    return msgField(5, [
      ...dims.map((d) => intField(1, d)),
      intField(2, FLOAT16),
      ...Array.from({ length: n }, () => intField(5, half(rand()))),
      strField(8, name),
    ]);
  };
  const node = (op: string, inputs: string[], output: string, attrs: Field[] = []) =>
    msgField(1, [...inputs.map((i) => strField(1, i)), strField(2, output), strField(3, output), strField(4, op), ...attrs]);
  const pads = msgField(5, [strField(1, "pads"), intField(8, 1), intField(8, 1), intField(8, 1), intField(8, 1), intField(20, 7)]);
  const value = (name: string, type: number) => [strField(1, name), msgField(2, [msgField(1, [intField(1, type)])])] satisfies Field[];
  const graph = [
    node("Cast", ["x"], "x16", [msgField(5, [strField(1, "to"), intField(3, FLOAT16), intField(20, 2)])]),
    node("Conv", ["x16", "w1", "b1"], "c1", [pads]),
    node("Relu", ["c1"], "r1"),
    node("Conv", ["r1", "w2", "b2"], "c2", [pads]),
    node("Cast", ["c2"], "y", [msgField(5, [strField(1, "to"), intField(3, 1), intField(20, 2)])]),
    strField(2, "tiny"),
    tensor("w1", [8, 3, 3, 3]),
    tensor("b1", [8]),
    tensor("w2", [1, 8, 3, 3]),
    tensor("b2", [1]),
    msgField(11, value("x", 1)),
    msgField(12, value("y", 1)),
  ];
  return encode([intField(1, 8), msgField(7, graph), msgField(8, [intField(2, 15)])]);
}

async function run(model: Uint8Array, input: Float32Array, side: number, outputs = ["y"]) {
  const session = await ort.InferenceSession.create(model);
  const feeds = { [session.inputNames[0] ?? "x"]: new ort.Tensor("float32", input, [1, 3, side, side]) };
  const result = await session.run(feeds, outputs);
  await session.release();
  return result;
}

describe("static int8 quantization", () => {
  const side = 32;
  const input = Float32Array.from({ length: 3 * side * side }, (_, i) => Math.sin(i * 0.37) * 0.5);

  it("converts an fp16 graph to fp32 with the same output", async () => {
    const fp16 = tinyFp16Model();
    const fp32 = toFloat32Model(fp16);
    const types = all(graphOf(fp32), 5).map((f) => get(sub(f), 2));
    expect(types.every((t) => t?.wire === 0 && t.value === 1n)).toBe(true);
    const a = (await run(fp16, input, side)).y.data as Float32Array;
    const b = (await run(fp32, input, side)).y.data as Float32Array;
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(0.01 + Math.abs(a[i]) * 0.01);
  });

  it("quantizes every Conv with calibrated ranges and stays close to the float output", async () => {
    const fp32 = toFloat32Model(tinyFp16Model());
    const names = convActivations(fp32);
    expect(names).toEqual(["x16", "c1", "r1", "c2"]);
    const probe = await run(withOutputs(fp32, names), input, side, names);
    const ranges = Object.fromEntries(
      names.map((n) => {
        const d = probe[n].data as Float32Array;
        return [n, [Math.min(...d), Math.max(...d)]];
      }),
    );
    const { bytes, report } = quantizeConvs(fp32, ranges);
    expect(report).toEqual({ convs: 2, activations: 4 });
    const ops = all(graphOf(bytes), 1).map((f) => str(get(sub(f), 4)));
    expect(ops.filter((o) => o === "QuantizeLinear")).toHaveLength(4);
    // 4 activation pairs, plus one per weight and per bias.
    expect(ops.filter((o) => o === "DequantizeLinear")).toHaveLength(8);
    const float = (await run(fp32, input, side)).y.data as Float32Array;
    const quantized = (await run(bytes, input, side)).y.data as Float32Array;
    let err = 0;
    let scale = 0;
    for (let i = 0; i < float.length; i++) {
      err = Math.max(err, Math.abs(float[i] - quantized[i]));
      scale = Math.max(scale, Math.abs(float[i]));
    }
    // 7-bit weights (steps of max|w|/64 per channel) and 8-bit activations, over sums of 27 and 72 products:
    // half-step rounding errors that mostly cancel measure 1.4 to 1.6% of the output's range on every kernel
    // (their int32 sums are exact); 3% leaves room. A saturating int16 pair sum (8-bit weights on AVX2) gave 15%.
    expect(err / scale).toBeLessThan(0.03);
    expect(err).toBeGreaterThan(0); // it really ran in int8
  });

  it("fails clearly when a range is missing", () => {
    const fp32 = toFloat32Model(tinyFp16Model());
    expect(() => quantizeConvs(fp32, { x16: [-1, 1] })).toThrow(/no calibrated range for c1/);
  });

  it("keeps zero exact and weights symmetric", () => {
    const p = activationParams("t", { t: [0.5, 2] });
    expect(p.zeroPoint).toBe(0); // the range is widened to include 0
    const q = activationParams("t", { t: [-1, 3] });
    expect(q.scale).toBeCloseTo(4 / 255, 9);
    expect(q.zeroPoint).toBe(64); // round(1 / (4 / 255)): 0.0 maps to a whole level
    const { q: w, scales } = quantizeWeights(Float32Array.of(0.5, -1, 0.25, 0, 0, 0), 2);
    expect(Array.from(w)).toEqual([32, -64, 16, 0, 0, 0]);
    expect(scales[1]).toBe(1); // an all-zero channel gets a harmless scale
  });

  it("keeps every pair of uint8 x int8 products within int16, so no CPU's kernel saturates", () => {
    // VPMADDUBSW (x86 without VNNI) adds two products into a saturating int16.
    expect(255 * WEIGHT_LEVELS * 2).toBeLessThanOrEqual(32767);
    const w = Float32Array.from({ length: 4 * 300 }, (_, i) => Math.sin(i * 1.7) * (1 + (i % 7)));
    const { q } = quantizeWeights(w, 4);
    expect(Math.max(...Array.from(q, Math.abs))).toBe(WEIGHT_LEVELS);
  });
});

describe("the int8 ISNet on real photos", () => {
  let cacheDir: string;
  let fp16Path: string;
  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), "cutout-int8-"));
    // The published weights given as a file, so the test never touches the shared model cache.
    fp16Path = join(cacheDir, "isnet-fp16.onnx");
    await writeFile(fp16Path, (await loadModelBytes({ model: "isnet-fp16" })).bytes);
  });
  afterAll(() => rm(cacheDir, { recursive: true, force: true }));

  const loadInt8 = async (phases: string[]): Promise<EngineModel> =>
    loadEngineModel({ modelPath: fp16Path, cacheDir, precision: "int8", onModelProgress: (p) => phases.push(p.phase) });

  it("matches the float model's mattes, and is built once then read from the cache", async () => {
    const phases: string[] = [];
    const int8 = await loadInt8(phases);
    expect(int8.precision).toBe("int8");
    expect(phases).toContain("quantize");
    const files = await readdir(join(cacheDir, "models"));
    expect(files.filter((f) => /^isnet-fp16-int8-b6e8497ba978-[0-9a-f]{8}\.onnx(\.sha256)?$/.test(f))).toHaveLength(2);

    const again: string[] = [];
    await loadInt8(again);
    expect(again).not.toContain("quantize");

    // Every quantized weight of the real graph is within the saturation-free range.
    let widest = 0;
    for (const f of all(graphOf(int8.bytes), 5)) {
      const t = sub(f);
      const type = get(t, 2);
      if (type?.wire !== 0 || type.value !== BigInt(INT8) || !str(get(t, 8)).endsWith("_quantized")) continue;
      const raw = (get(t, 9) as { bytes: Uint8Array }).bytes;
      for (const v of new Int8Array(raw.buffer, raw.byteOffset, raw.length)) widest = Math.max(widest, Math.abs(v));
    }
    expect(widest).toBe(WEIGHT_LEVELS);

    const float = await loadEngineModel({ modelPath: fp16Path, precision: "float" });
    expect(float.precision).toBe("float");
    for (const name of ["car-1", "anime-girl-1"]) {
      const { image } = await decodeImage(await readFile(join(FIXTURES, `${name}.jpg`)), 1e8);
      const tensor = await modelInput(image, int8.description, sharpResize);
      const a = (await run(float.bytes, tensor, 1024, ["output"])).output.data as Float32Array;
      const b = (await run(int8.bytes, tensor, 1024, ["output"])).output.data as Float32Array;
      const bytes = (m: Float32Array) => Uint8Array.from(m, (v) => Math.round(v * 255));
      expect(iouAtHalf(bytes(a), bytes(b))).toBeGreaterThanOrEqual(0.98);
      let mad = 0;
      for (let i = 0; i < a.length; i++) mad += Math.abs(a[i] - b[i]);
      expect(mad / a.length).toBeLessThan(0.01);
    }
  });

  it("rebuilds a corrupt cached build instead of loading it", async () => {
    const dir = join(cacheDir, "models");
    const file = (await readdir(dir)).find((f) => f.endsWith(".onnx")) as string;
    await writeFile(join(dir, file), "not a model");
    const phases: string[] = [];
    const rebuilt = await loadInt8(phases);
    expect(phases).toContain("quantize");
    expect(rebuilt.bytes.length).toBeGreaterThan(40_000_000);
  });

  it("runs other weights as published, and refuses int8 for weights it was not calibrated on", async () => {
    const q8 = await loadEngineModel({ model: "isnet-q8" });
    expect(q8.precision).toBe("float");
    const custom = join(cacheDir, "custom.onnx");
    await writeFile(custom, q8.bytes);
    const error = await loadEngineModel({ modelPath: custom, precision: "int8" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CutoutError);
    expect((error as CutoutError).code).toBe("validation_error");
    expect((error as CutoutError).field).toBe("precision");
    await expect(loadEngineModel({ precision: "int4" as never })).rejects.toThrow(/precision/);
  });
});
