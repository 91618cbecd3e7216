/**
 * Static int8 quantization of every Conv, in the QDQ form onnxruntime fuses
 * into QLinearConv: weights per output channel, symmetric, in 7 bits (see
 * WEIGHT_LEVELS); biases int32 at input scale x weight scale; activations
 * (each Conv's input and output) uint8 with ranges calibrated offline
 * (scripts/calibrate-int8.ts). Everything else stays fp32. Its speed and
 * scores against float are in docs/benchmarks.md and docs/quality.md.
 *
 * Pure: fp16 or fp32 model bytes and a range table in, model bytes out.
 */
import { FLOAT, floatValues, graphOf, INT8, INT32, mapGraph, toFloat32Model, UINT8 } from "./float32-graph.js";
import { all, type Field, get, intField, ints, msgField, str, strField, sub } from "./onnx-wire.js";

/** Calibrated [min, max] per activation tensor name. */
export type ActivationRanges = Readonly<Record<string, readonly number[]>>;

export interface QuantizeReport {
  convs: number;
  activations: number;
}

interface ConvNode {
  x: string;
  w: string;
  b: string | undefined;
  y: string;
}

/** The activation tensors a calibration must cover: every Conv's input and output. */
export function convActivations(model: Uint8Array): string[] {
  return [...new Set(convNodes(graphOf(model)).flatMap((c) => [c.x, c.y]))];
}

/** The model with `names` added as float outputs, so one run reports them (for calibration). */
export function withOutputs(model: Uint8Array, names: readonly string[]): Uint8Array {
  return mapGraph(model, (graph) => [
    ...graph,
    ...names.map((name) => msgField(12, [strField(1, name), msgField(2, [msgField(1, [intField(1, FLOAT)])])])),
  ]);
}

export function quantizeConvs(model: Uint8Array, ranges: ActivationRanges): { bytes: Uint8Array; report: QuantizeReport } {
  let report: QuantizeReport = { convs: 0, activations: 0 };
  const bytes = mapGraph(toFloat32Model(model), (graph) => {
    const initializers = new Map<string, Field[]>();
    for (const f of all(graph, 5)) {
      const t = sub(f);
      initializers.set(str(get(t, 8)), t);
    }
    const convs = convNodes(graph);
    const activations = [...new Set(convs.flatMap((c) => [c.x, c.y]))];
    const params = new Map(activations.map((name) => [name, activationParams(name, ranges)]));
    const added: Field[][] = [];
    const dropped = new Set<string>();
    const weightDq = new Map<string, Field[]>();
    for (const conv of convs) {
      const x = params.get(conv.x) as ActivationParams;
      const weight = initializers.get(conv.w);
      if (!weight) throw new Error(`Conv weight ${conv.w} is not an initializer`);
      const dims = ints(weight, 1);
      const { q, scales } = quantizeWeights(floatValues(weight), dims[0]);
      added.push(tensor(`${conv.w}_quantized`, INT8, dims, new Uint8Array(q.buffer)));
      added.push(tensor(`${conv.w}_scale`, FLOAT, [dims[0]], new Uint8Array(scales.buffer)));
      added.push(tensor(`${conv.w}_zero_point`, INT8, [dims[0]], new Uint8Array(dims[0])));
      weightDq.set(conv.w, dqNode(`${conv.w}_quantized`, `${conv.w}_scale`, `${conv.w}_zero_point`, `${conv.w}_dq`, 0));
      dropped.add(conv.w);
      if (conv.b) {
        const bias = initializers.get(conv.b);
        if (!bias) throw new Error(`Conv bias ${conv.b} is not an initializer`);
        const b = floatValues(bias);
        const bScales = new Float32Array(b.length);
        const bq = new Int32Array(b.length);
        for (let c = 0; c < b.length; c++) {
          bScales[c] = x.scale * scales[c];
          bq[c] = Math.round(b[c] / bScales[c]);
        }
        added.push(tensor(`${conv.b}_quantized`, INT32, [b.length], new Uint8Array(bq.buffer)));
        added.push(tensor(`${conv.b}_quantized_scale`, FLOAT, [b.length], new Uint8Array(bScales.buffer)));
        added.push(tensor(`${conv.b}_quantized_zero_point`, INT32, [b.length], new Uint8Array(b.length * 4)));
        weightDq.set(
          conv.b,
          dqNode(`${conv.b}_quantized`, `${conv.b}_quantized_scale`, `${conv.b}_quantized_zero_point`, `${conv.b}_dq`, 0),
        );
        dropped.add(conv.b);
      }
    }
    for (const [name, p] of params) {
      added.push(tensor(`${name}_scale`, FLOAT, [], new Uint8Array(Float32Array.of(p.scale).buffer)));
      added.push(tensor(`${name}_zero_point`, UINT8, [], Uint8Array.of(p.zeroPoint)));
    }
    const quantized = new Set(activations);
    const rename = (name: string) => (quantized.has(name) ? `${name}_dq` : name);
    const qdq = (name: string) => [
      qNode(name, `${name}_scale`, `${name}_zero_point`, `${name}_q`),
      dqNode(`${name}_q`, `${name}_scale`, `${name}_zero_point`, `${name}_dq`),
    ];
    const graphInputs = all(graph, 11).map((f) => str(get(sub(f), 1)));
    const nodes: Field[][] = [...weightDq.values()];
    for (const name of graphInputs) if (quantized.has(name)) nodes.push(...qdq(name));
    for (const f of all(graph, 1)) {
      const node = sub(f);
      const isConv = str(get(node, 4)) === "Conv";
      nodes.push(
        node.map((nf) => {
          if (nf.no !== 1) return nf;
          const input = str(nf);
          if (isConv && weightDq.has(input)) return strField(1, `${input}_dq`);
          return strField(1, rename(input));
        }),
      );
      for (const o of all(node, 2)) if (quantized.has(str(o))) nodes.push(...qdq(str(o)));
    }
    // Graph outputs keep reading the unquantized tensors; only consumers inside the graph see the QDQ pair.
    const out: Field[] = [];
    let nodesDone = false;
    for (const f of graph) {
      if (f.no === 1) {
        if (!nodesDone) for (const n of nodes) out.push(msgField(1, n));
        nodesDone = true;
      } else if (f.no === 5) {
        if (!dropped.has(str(get(sub(f), 8)))) out.push(f);
      } else out.push(f);
    }
    for (const t of added) out.push(msgField(5, t));
    report = { convs: convs.length, activations: activations.length };
    return out;
  });
  return { bytes, report };
}

function convNodes(graph: Field[]): ConvNode[] {
  return all(graph, 1)
    .map(sub)
    .filter((n) => str(get(n, 4)) === "Conv" && str(get(n, 7)) === "")
    .map((n) => {
      const [x = "", w = "", b] = all(n, 1).map(str);
      return { x, w, b: b === "" ? undefined : b, y: str(get(n, 2)) };
    });
}

interface ActivationParams {
  scale: number;
  zeroPoint: number;
}

/** uint8 affine parameters whose range always contains 0, so zero padding stays exact. */
export function activationParams(name: string, ranges: ActivationRanges): ActivationParams {
  const range = ranges[name];
  if (range?.length !== 2) throw new Error(`no calibrated range for ${name}`);
  const lo = Math.min(0, range[0]);
  const hi = Math.max(0, range[1]);
  if (!(hi > lo)) return { scale: 1, zeroPoint: 0 };
  const scale = (hi - lo) / 255;
  return { scale, zeroPoint: Math.min(255, Math.max(0, Math.round(-lo / scale))) };
}

/**
 * The largest weight level. x86 CPUs without VNNI (AVX2, and AVX-512 without
 * VNNI) multiply uint8 activations by int8 weights with VPMADDUBSW, which adds
 * each pair of products into a saturating int16: 255 x 127 x 2 = 64770
 * overflows it, and the error is gross. With |w| <= 64 a pair is at most
 * 255 x 64 x 2 = 32640, so every kernel (VNNI, AVX2, SSE, ARM, WebAssembly)
 * computes the same exact sums and the graph gives the same output
 * everywhere: onnxruntime's `reduce_range`, one level wider.
 */
export const WEIGHT_LEVELS = 64;

/** Symmetric per output channel (axis 0): scale = max|w| / WEIGHT_LEVELS, levels in -64..64. */
export function quantizeWeights(w: Float32Array, channels: number): { q: Int8Array; scales: Float32Array } {
  const per = w.length / channels;
  const q = new Int8Array(w.length);
  const scales = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    let max = 0;
    for (let i = c * per; i < (c + 1) * per; i++) max = Math.max(max, Math.abs(w[i]));
    const scale = max > 0 ? max / WEIGHT_LEVELS : 1;
    scales[c] = scale;
    for (let i = c * per; i < (c + 1) * per; i++) q[i] = Math.max(-WEIGHT_LEVELS, Math.min(WEIGHT_LEVELS, Math.round(w[i] / scale)));
  }
  return { q, scales };
}

function tensor(name: string, type: number, dims: readonly number[], raw: Uint8Array): Field[] {
  return [...dims.map((d) => intField(1, d)), intField(2, type), strField(8, name), { no: 9, wire: 2, bytes: raw }];
}

function qNode(x: string, scale: string, zeroPoint: string, y: string): Field[] {
  return [
    strField(1, x),
    strField(1, scale),
    strField(1, zeroPoint),
    strField(2, y),
    strField(3, `${y}/QuantizeLinear`),
    strField(4, "QuantizeLinear"),
  ];
}

function dqNode(x: string, scale: string, zeroPoint: string, y: string, axis?: number): Field[] {
  const node = [
    strField(1, x),
    strField(1, scale),
    strField(1, zeroPoint),
    strField(2, y),
    strField(3, `${y}/DequantizeLinear`),
    strField(4, "DequantizeLinear"),
  ];
  // AttributeProto: name 1, i 3, type 20 (INT = 2).
  if (axis !== undefined) node.push(msgField(5, [strField(1, "axis"), intField(3, axis), intField(20, 2)]));
  return node;
}
