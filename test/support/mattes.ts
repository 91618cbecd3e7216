/** Intersection over union of two 8-bit mattes at alpha 0.5; two empty mattes agree completely. */
export function iouAtHalf(a: Uint8Array, b: Uint8Array): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    const x = (a[i] as number) >= 128;
    const y = (b[i] as number) >= 128;
    if (x && y) inter++;
    if (x || y) union++;
  }
  return union === 0 ? 1 : inter / union;
}
