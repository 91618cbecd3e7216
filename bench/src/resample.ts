import type { AlphaPlane } from "./metrics.js";

/**
 * Resamples an alpha plane for scoring. Along an axis that shrinks, each
 * output pixel is the area-weighted mean of the input pixels it covers (so a
 * 3x smaller mask is not scored against every third pixel of the
 * prediction); along an axis that grows, it is bilinear with pixel-centre
 * alignment (the convention of sharp, canvas and Cutout's resizePlane).
 */
export function resampleAlpha(src: AlphaPlane, width: number, height: number): AlphaPlane {
  if (width === src.width && height === src.height) return src;
  const wx = axisTaps(src.width, width);
  const wy = axisTaps(src.height, height);
  // Rows first (x), then columns (y).
  const tmp = new Float32Array(width * src.height);
  for (let y = 0; y < src.height; y++) {
    const row = y * src.width;
    for (let x = 0; x < width; x++) {
      const { index, weight } = wx[x];
      let s = 0;
      for (let k = 0; k < index.length; k++) s += weight[k] * src.data[row + index[k]];
      tmp[y * width + x] = s;
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const { index, weight } = wy[y];
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let k = 0; k < index.length; k++) s += weight[k] * tmp[index[k] * width + x];
      out[y * width + x] = s;
    }
  }
  return { data: out, width, height };
}

interface Taps {
  index: number[];
  weight: number[];
}

/** Source taps and weights for each output index along one axis. */
export function axisTaps(srcSize: number, dstSize: number): Taps[] {
  const taps: Taps[] = [];
  const scale = srcSize / dstSize;
  for (let i = 0; i < dstSize; i++) {
    if (dstSize < srcSize) {
      // Area: output pixel i covers [i*scale, (i+1)*scale) of the source.
      const a = i * scale;
      const b = (i + 1) * scale;
      const index: number[] = [];
      const weight: number[] = [];
      for (let j = Math.floor(a); j < Math.min(srcSize, Math.ceil(b)); j++) {
        const overlap = Math.min(b, j + 1) - Math.max(a, j);
        if (overlap > 1e-12) {
          index.push(j);
          weight.push(overlap / scale);
        }
      }
      taps.push({ index, weight });
    } else {
      let f = (i + 0.5) * scale - 0.5;
      if (f < 0) f = 0;
      if (f > srcSize - 1) f = srcSize - 1;
      const j0 = Math.floor(f);
      const j1 = Math.min(j0 + 1, srcSize - 1);
      const w = f - j0;
      taps.push(j1 === j0 || w === 0 ? { index: [j0], weight: [1] } : { index: [j0, j1], weight: [1 - w, w] });
    }
  }
  return taps;
}

/**
 * The coarse matte of the refinement protocol (shared/eval/README.md): the
 * ground truth downscaled by area until its long side is `longSide` px,
 * then thresholded at 0.5, the blocky binary mask a low-resolution model
 * would give. Returned at that small size; the caller scales it back up.
 */
export function coarseMatte(gt: AlphaPlane, longSide = 80): AlphaPlane {
  const long = Math.max(gt.width, gt.height);
  const scale = Math.min(1, longSide / long);
  const width = Math.max(1, Math.round(gt.width * scale));
  const height = Math.max(1, Math.round(gt.height * scale));
  const small = resampleAlpha(gt, width, height);
  const data = new Float32Array(small.data.length);
  for (let i = 0; i < data.length; i++) data[i] = small.data[i] >= 0.5 ? 1 : 0;
  return { data, width, height };
}

/**
 * The trimap's unknown region: grey pixels. Each pixel is taken as the
 * nearest of black (0), grey (128) and white (255), so a trimap that was
 * resampled (with a few in-between values at its region borders) still
 * reads as three regions.
 */
export function unknownRegion(trimap: Uint8Array): Uint8Array {
  const out = new Uint8Array(trimap.length);
  for (let i = 0; i < trimap.length; i++) out[i] = trimap[i] >= 64 && trimap[i] < 192 ? 1 : 0;
  return out;
}
