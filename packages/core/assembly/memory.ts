// Typed loads and stores at element indices. Every kernel keeps JavaScript's
// arithmetic: values are f64 in flight and rounded to f32 only where the
// TypeScript engine stored them in a Float32Array, so results match to the bit.

export function getF32(base: usize, i: i32): f64 {
  return <f64>load<f32>(base + ((<usize>i) << 2));
}

export function setF32(base: usize, i: i32, v: f64): void {
  store<f32>(base + ((<usize>i) << 2), <f32>v);
}

export function getF64(base: usize, i: i32): f64 {
  return load<f64>(base + ((<usize>i) << 3));
}

export function setF64(base: usize, i: i32, v: f64): void {
  store<f64>(base + ((<usize>i) << 3), v);
}

export function getU8(base: usize, i: i32): f64 {
  return <f64>load<u8>(base + <usize>i);
}

/** 1 / the number of pixels in the window [i - r, i + r] cut to [0, size). */
export function windowInverse(i: i32, r: i32, size: i32): f64 {
  return 1.0 / <f64>(min(i + r, size - 1) - max(i - r, 0) + 1);
}
