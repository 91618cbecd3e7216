// The model's prediction stretched to 0..1 (see stretchToUnitRange in src/sessions/isnet.ts).

/**
 * The smallest and largest of n f32 at `at`, as two f64 at `out`; Infinity
 * and -Infinity when n is 0. Four at a time: pmin and pmax keep the value
 * already held when a new one is not smaller (larger), as `v < lo` does, so
 * NaN is passed over just the same.
 */
export function valueRange(at: usize, n: i32, out: usize): void {
  let lo = f32x4.splat(Infinity);
  let hi = f32x4.splat(-Infinity);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(at + ((<usize>i) << 2));
    lo = f32x4.pmin(lo, v);
    hi = f32x4.pmax(hi, v);
  }
  let l = <f64>f32x4.extract_lane(lo, 0);
  let h = <f64>f32x4.extract_lane(hi, 0);
  for (let lane = 1; lane < 4; lane++) {
    const a = <f64>(lane === 1 ? f32x4.extract_lane(lo, 1) : lane === 2 ? f32x4.extract_lane(lo, 2) : f32x4.extract_lane(lo, 3));
    const b = <f64>(lane === 1 ? f32x4.extract_lane(hi, 1) : lane === 2 ? f32x4.extract_lane(hi, 2) : f32x4.extract_lane(hi, 3));
    if (a < l) l = a;
    if (b > h) h = b;
  }
  for (; i < n; i++) {
    const v = <f64>load<f32>(at + ((<usize>i) << 2));
    if (v < l) l = v;
    if (v > h) h = v;
  }
  store<f64>(out, l);
  store<f64>(out, h, 8);
}

/** n f32 at `at`, in place: (v - lo) * k, in f64 and rounded to f32, two at a time. */
export function stretchRange(at: usize, n: i32, lo: f64, k: f64): void {
  const low = f64x2.splat(lo);
  const scale = f64x2.splat(k);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const p = at + ((<usize>i) << 2);
    const v = f64x2.promote_low_f32x4(v128.load64_zero(p));
    v128.store64_lane(p, f32x4.demote_f64x2_zero(f64x2.mul(f64x2.sub(v, low), scale)), 0);
  }
  for (; i < n; i++) {
    const p = at + ((<usize>i) << 2);
    store<f32>(p, <f32>((<f64>load<f32>(p) - lo) * k));
  }
}
