/**
 * Graph surgery: makes an ISNet ONNX export (rembg / imgly, 1x3x1024x1024)
 * run at any input size that is a multiple of 64 (512, 768, ...).
 *
 * The export traced `_upsample_like(src, tar)` as Resize(src, sizes =
 * Concat(Shape(src)[0:2], Constant([h, w]))), so every upsample carries the
 * 1024-input size of `tar` baked in; at 512 the first decoder Concat
 * (`/stage1/Concat_2`) then meets a 32x32 tensor beside a 16x16 one. Every
 * such upsample is an exact integer factor at 1024 (2x in the U-blocks, 2..32x
 * for the side outputs), so each Resize gets the same factor as constant
 * `scales` instead: identical output at 1024 (same coordinate transform, same
 * scale), and the right size at any input that divides by 64. The graph
 * input and outputs get symbolic height/width, the traced value_info (all
 * 1024 shapes) is dropped, and the now-dead Shape/Slice/Concat/Constant
 * nodes are pruned.
 *
 * Pure: bytes in, bytes out. The CLI (`tsx packages/core/scripts/resize-isnet.ts`)
 * writes the result into the model cache, never into git.
 */
import { all, decode, encode, type Field, get, intField, ints, msgField, str, strField, sub } from "./onnx-wire.js";

export interface SurgeryReport {
  resizes: number;
  prunedNodes: number;
  droppedValueInfo: number;
}

export function makeIsnetSizeFree(model: Uint8Array): { bytes: Uint8Array; report: SurgeryReport } {
  const modelFields = decode(model);
  const graphIndex = modelFields.findIndex((f) => f.no === 7);
  if (graphIndex < 0) throw new Error("not an ONNX model: no graph");
  const graph = sub(modelFields[graphIndex]);

  // Spatial dims of every traced tensor, from value_info (1024-input shapes).
  const shapes = new Map<string, number[]>();
  for (const f of all(graph, 13)) {
    const vi = sub(f);
    shapes.set(
      str(get(vi, 1)),
      dimsOf(vi).map((d) => (typeof d === "number" ? d : Number.NaN)),
    );
  }
  const constants = new Map<string, number[]>();
  const nodes = all(graph, 1).map((f) => sub(f));
  for (const n of nodes) {
    if (str(get(n, 4)) !== "Constant") continue;
    const attr = sub(get(n, 5));
    const t = sub(get(attr, 5));
    constants.set(str(get(n, 2)), int64s(t));
  }
  const producer = new Map<string, Field[]>();
  for (const n of nodes) for (const o of all(n, 2)) producer.set(str(o), n);

  const newInits: Field[] = [];
  let resizes = 0;
  const rewritten = nodes.map((n) => {
    if (str(get(n, 4)) !== "Resize") return n;
    const inputs = all(n, 1).map(str);
    const sizes = inputs[3];
    if (!sizes) return n; // already uses scales
    const concat = producer.get(sizes);
    const hw = concat && str(get(concat, 4)) === "Concat" ? constants.get(all(concat, 1).map(str)[1] ?? "") : undefined;
    const src = shapes.get(inputs[0]);
    if (!hw || hw.length !== 2 || !src || src.length !== 4)
      throw new Error(`Resize ${str(get(n, 3))}: sizes not Concat(Shape, Constant[h,w]) or input shape unknown`);
    const sh = hw[0] / src[2];
    const sw = hw[1] / src[3];
    if (!Number.isInteger(sh) || !Number.isInteger(sw)) throw new Error(`Resize ${str(get(n, 3))}: factor ${sh}x${sw} is not an integer`);
    const name = `${str(get(n, 3))}/scales`;
    newInits.push(
      msgField(5, [
        intField(1, 4),
        intField(2, 1),
        strField(8, name),
        { no: 9, wire: 2, bytes: new Uint8Array(Float32Array.from([1, 1, sh, sw]).buffer) },
      ]),
    );
    resizes++;
    const rest = n.filter((f) => f.no !== 1);
    return [strField(1, inputs[0]), strField(1, inputs[1] ?? ""), strField(1, name), ...rest];
  });

  // Prune nodes whose outputs nobody reads (the old size computations).
  const graphOutputs = new Set(all(graph, 12).map((f) => str(get(sub(f), 1))));
  let live = rewritten;
  for (;;) {
    const used = new Set<string>(graphOutputs);
    for (const n of live) for (const i of all(n, 1)) used.add(str(i));
    const next = live.filter((n) => all(n, 2).some((o) => used.has(str(o))));
    if (next.length === live.length) break;
    live = next;
  }

  const out: Field[] = [];
  let nodeDone = false;
  let initDone = false;
  for (const f of graph) {
    if (f.no === 1) {
      if (!nodeDone) for (const n of live) out.push(msgField(1, n));
      nodeDone = true;
    } else if (f.no === 5) {
      out.push(f);
      if (!initDone) out.push(...newInits);
      initDone = true;
    } else if (f.no === 13) {
      // dropped: 1024-input shapes
    } else if (f.no === 11 || f.no === 12) out.push(msgField(f.no, symbolicHW(sub(f))));
    else out.push(f);
  }
  if (!initDone) out.push(...newInits);
  const fields = [...modelFields];
  fields[graphIndex] = msgField(7, out);
  return {
    bytes: encode(fields),
    report: { resizes, prunedNodes: rewritten.length - live.length, droppedValueInfo: all(graph, 13).length },
  };
}

/** dims of a ValueInfoProto's tensor type: numbers, or the dim_param names. */
function dimsOf(vi: Field[]): (number | string)[] {
  const type = get(vi, 2);
  if (!type) return [];
  const tensor = get(sub(type), 1);
  if (!tensor) return [];
  const shape = get(sub(tensor), 2);
  if (!shape) return [];
  return all(sub(shape), 1).map((d) => {
    const dim = sub(d);
    const v = get(dim, 1);
    return v && v.wire === 0 ? Number(v.value) : str(get(dim, 2));
  });
}

/** A ValueInfoProto with dims 2 and 3 (NCHW height and width) made symbolic. */
function symbolicHW(vi: Field[]): Field[] {
  return vi.map((f) => {
    if (f.no !== 2) return f;
    const type = sub(f).map((tf) => {
      if (tf.no !== 1) return tf;
      const tensor = sub(tf).map((sf) => {
        if (sf.no !== 2) return sf;
        const dims = all(sub(sf), 1);
        return msgField(
          2,
          dims.map((d, k) => (k === 2 ? msgField(1, [strField(2, "height")]) : k === 3 ? msgField(1, [strField(2, "width")]) : d)),
        );
      });
      return msgField(1, tensor);
    });
    return msgField(2, type);
  });
}

function int64s(t: Field[]): number[] {
  const raw = get(t, 9);
  if (raw && raw.wire === 2 && raw.bytes.length % 8 === 0) return Array.from(new BigInt64Array(new Uint8Array(raw.bytes).buffer), Number);
  return ints(t, 7);
}
