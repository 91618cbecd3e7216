/**
 * Graph surgery: turns an fp16 ONNX export into an fp32 one (initializers,
 * Constant tensors, Cast targets and declared tensor types). onnxruntime's
 * CPU provider already computes such a graph in fp32 behind inserted casts;
 * static int8 quantization (quantize-static.ts) needs the fp32 form so its
 * DequantizeLinear outputs meet float inputs. Pure: bytes in, bytes out.
 */
import { decode, encode, type Field, get, ints, msgField, str, sub } from "./onnx-wire.js";

export const FLOAT = 1;
export const UINT8 = 2;
export const INT8 = 3;
export const INT32 = 6;
export const FLOAT16 = 10;

export function toFloat32Model(model: Uint8Array): Uint8Array {
  return mapGraph(model, (graph) =>
    graph.map((f) => {
      if (f.no === 5) return msgField(5, tensorToFloat32(sub(f)));
      if (f.no === 1) return msgField(1, nodeToFloat32(sub(f)));
      if (f.no === 11 || f.no === 12 || f.no === 13) return msgField(f.no, valueInfoToFloat32(sub(f)));
      return f;
    }),
  );
}

/** The model's GraphProto fields. */
export function graphOf(model: Uint8Array): Field[] {
  const graph = decode(model).find((f) => f.no === 7);
  if (!graph) throw new Error("not an ONNX model: no graph");
  return sub(graph);
}

/** Applies `edit` to the model's GraphProto fields, keeping every other ModelProto field byte for byte. */
export function mapGraph(model: Uint8Array, edit: (graph: Field[]) => Field[]): Uint8Array {
  const fields = decode(model);
  const index = fields.findIndex((f) => f.no === 7);
  if (index < 0) throw new Error("not an ONNX model: no graph");
  fields[index] = msgField(7, edit(sub(fields[index])));
  return encode(fields);
}

/** A TensorProto's values as float32, whichever field holds them. */
export function floatValues(tensor: Field[]): Float32Array {
  const typeField = get(tensor, 2);
  const type = typeField?.wire === 0 ? Number(typeField.value) : 0;
  const raw = get(tensor, 9);
  if (type === FLOAT) {
    if (raw && raw.wire === 2) return new Float32Array(copy(raw.bytes).buffer);
    const packed = get(tensor, 4);
    return packed && packed.wire === 2 ? new Float32Array(copy(packed.bytes).buffer) : new Float32Array(0);
  }
  if (type === FLOAT16) {
    if (raw && raw.wire === 2) return halvesToFloats(new Uint16Array(copy(raw.bytes).buffer));
    // fp16 without raw_data sits in int32_data, one half per varint.
    return halvesToFloats(Uint16Array.from(ints(tensor, 5)));
  }
  throw new Error(`tensor ${str(get(tensor, 8))}: data type ${type} is not float`);
}

function tensorToFloat32(tensor: Field[]): Field[] {
  const type = get(tensor, 2);
  if (!type || type.wire !== 0 || Number(type.value) !== FLOAT16) return tensor;
  const values = floatValues(tensor);
  const out: Field[] = [];
  for (const f of tensor) {
    if (f.no === 2) out.push({ no: 2, wire: 0, value: BigInt(FLOAT) });
    else if (f.no === 5 || f.no === 9) continue;
    else out.push(f);
  }
  out.push({ no: 9, wire: 2, bytes: new Uint8Array(values.buffer) });
  return out;
}

function nodeToFloat32(node: Field[]): Field[] {
  const op = str(get(node, 4));
  return node.map((f) => {
    if (f.no !== 5) return f;
    const attr = sub(f);
    const name = str(get(attr, 1));
    if (op === "Cast" && name === "to") {
      return msgField(
        5,
        attr.map((a) => (a.no === 3 && a.wire === 0 && Number(a.value) === FLOAT16 ? { no: 3, wire: 0, value: BigInt(FLOAT) } : a)),
      );
    }
    const t = get(attr, 5);
    if (!t) return f;
    return msgField(
      5,
      attr.map((a) => (a.no === 5 ? msgField(5, tensorToFloat32(sub(a))) : a)),
    );
  });
}

function valueInfoToFloat32(vi: Field[]): Field[] {
  return vi.map((f) => {
    if (f.no !== 2) return f;
    return msgField(
      2,
      sub(f).map((tf) => {
        if (tf.no !== 1) return tf;
        return msgField(
          1,
          sub(tf).map((e) => (e.no === 1 && e.wire === 0 && Number(e.value) === FLOAT16 ? { no: 1, wire: 0, value: BigInt(FLOAT) } : e)),
        );
      }),
    );
  });
}

/** Copies into a fresh, aligned buffer (subarrays of the model may sit at any offset). */
function copy(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

export function halvesToFloats(halves: Uint16Array): Float32Array {
  const out = new Float32Array(halves.length);
  for (let i = 0; i < halves.length; i++) {
    const h = halves[i];
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    out[i] =
      exp === 0
        ? sign * frac * 2 ** -24
        : exp === 31
          ? frac
            ? Number.NaN
            : sign * Number.POSITIVE_INFINITY
          : sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  return out;
}
