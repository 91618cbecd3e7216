/**
 * A lossless protobuf wire-format reader and writer, just enough to edit an
 * ONNX model (ModelProto) in place without a schema or a dependency: each
 * message is a list of fields in file order; fields nobody touches are
 * written back byte for byte. Used by the graph-surgery tool (resize-isnet.ts),
 * never at inference time.
 */

export type Field =
  | { no: number; wire: 0; value: bigint }
  | { no: number; wire: 1; bytes: Uint8Array }
  | { no: number; wire: 2; bytes: Uint8Array }
  | { no: number; wire: 5; bytes: Uint8Array };

export function decode(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let p = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[p++];
      if (b === undefined) throw new Error("truncated varint");
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (p < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ no, wire, value: varint() });
    else if (wire === 1) {
      out.push({ no, wire, bytes: buf.subarray(p, p + 8) });
      p += 8;
    } else if (wire === 2) {
      const len = Number(varint());
      out.push({ no, wire, bytes: buf.subarray(p, p + len) });
      p += len;
    } else if (wire === 5) {
      out.push({ no, wire, bytes: buf.subarray(p, p + 4) });
      p += 4;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
  return out;
}

function varintBytes(v: bigint): number[] {
  // Negative int64 values are written as 10-byte two's complement varints.
  let x = v < 0n ? (1n << 64n) + v : v;
  const bytes: number[] = [];
  do {
    let b = Number(x & 0x7fn);
    x >>= 7n;
    if (x !== 0n) b |= 0x80;
    bytes.push(b);
  } while (x !== 0n);
  return bytes;
}

export function encode(fields: readonly Field[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  const push = (u: Uint8Array) => {
    parts.push(u);
    total += u.length;
  };
  for (const f of fields) {
    push(Uint8Array.from(varintBytes(BigInt((f.no << 3) | f.wire))));
    if (f.wire === 0) push(Uint8Array.from(varintBytes(f.value)));
    else if (f.wire === 2) {
      push(Uint8Array.from(varintBytes(BigInt(f.bytes.length))));
      push(f.bytes);
    } else push(f.bytes);
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const u of parts) {
    out.set(u, o);
    o += u.length;
  }
  return out;
}

const utf8 = new TextDecoder();
const utf8Encoder = new TextEncoder();

export function str(f: Field | undefined): string {
  return f && f.wire === 2 ? utf8.decode(f.bytes) : "";
}
export function strField(no: number, s: string): Field {
  return { no, wire: 2, bytes: utf8Encoder.encode(s) };
}
export function msgField(no: number, fields: Field[]): Field {
  return { no, wire: 2, bytes: encode(fields) };
}
export function intField(no: number, v: number | bigint): Field {
  return { no, wire: 0, value: BigInt(v) };
}
export function get(fields: readonly Field[], no: number): Field | undefined {
  return fields.find((f) => f.no === no);
}
export function all(fields: readonly Field[], no: number): Field[] {
  return fields.filter((f) => f.no === no);
}
/** Repeated int64 (packed or not), as numbers. */
export function ints(fields: readonly Field[], no: number): number[] {
  const out: number[] = [];
  for (const f of all(fields, no)) {
    if (f.wire === 0) out.push(Number(BigInt.asIntN(64, f.value)));
    else if (f.wire === 2) for (const v of decodePacked(f.bytes)) out.push(v);
  }
  return out;
}
function decodePacked(buf: Uint8Array): number[] {
  const out: number[] = [];
  let p = 0;
  while (p < buf.length) {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[p++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7n;
    }
    out.push(Number(BigInt.asIntN(64, result)));
  }
  return out;
}

/** The fields of an embedded message (a length-delimited field); none for anything else. */
export function sub(f: Field | undefined): Field[] {
  return f && f.wire === 2 ? decode(f.bytes) : [];
}
