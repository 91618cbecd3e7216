/**
 * Quality metrics for alpha mattes, as the segmentation and matting
 * literature defines them. Pure functions on float planes (row-major, alpha
 * 0..1); no I/O, no dependencies, so they are unit-tested on tiny masks.
 *
 * Where a `region` is given (one byte per pixel, non-zero = counted), SAD,
 * MSE, MAE and the gradient error are summed over those pixels only: the
 * matting protocol scores inside the trimap's unknown region.
 */

export interface AlphaPlane {
  data: Float32Array;
  width: number;
  height: number;
}

/** 1 where alpha >= threshold, else 0. */
export function binarize(alpha: Float32Array, threshold = 0.5): Uint8Array {
  const out = new Uint8Array(alpha.length);
  for (let i = 0; i < alpha.length; i++) out[i] = alpha[i] >= threshold ? 1 : 0;
  return out;
}

/** Intersection over union of two binary masks; 1 when both are empty (nothing to find, nothing found). */
export function maskIou(a: Uint8Array, b: Uint8Array): number {
  sameLength(a, b);
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] !== 0;
    const y = b[i] !== 0;
    if (x && y) inter++;
    if (x || y) union++;
  }
  return union === 0 ? 1 : inter / union;
}

/** IoU of the two mattes binarised at `threshold` (0.5). */
export function iou(pred: AlphaPlane, gt: AlphaPlane, threshold = 0.5): number {
  sameSize(pred, gt);
  return maskIou(binarize(pred.data, threshold), binarize(gt.data, threshold));
}

/**
 * Band width of Boundary IoU (Cheng et al., CVPR 2021): `ratio` of the image
 * diagonal, rounded, at least 1 pixel.
 */
export function boundaryWidth(width: number, height: number, ratio = 0.03): number {
  return Math.max(1, Math.round(ratio * Math.sqrt(width * width + height * height)));
}

/**
 * Binary erosion by a (2d+1)x(2d+1) square: what d iterations of a 3x3
 * erosion give, as in the reference code (cv2.erode). Pixels outside the
 * image count as background, so a mask cut by the border has an edge there.
 */
export function erode(mask: Uint8Array, width: number, height: number, d: number): Uint8Array {
  if (mask.length !== width * height) throw new RangeError(`mask has ${mask.length} pixels, expected ${width}x${height}`);
  // Integral image of foreground counts: a pixel survives when its whole window lies inside and is foreground.
  const w1 = width + 1;
  const sum = new Int32Array(w1 * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += mask[y * width + x] !== 0 ? 1 : 0;
      sum[(y + 1) * w1 + x + 1] = sum[y * w1 + x + 1] + row;
    }
  }
  const out = new Uint8Array(width * height);
  const full = (2 * d + 1) * (2 * d + 1);
  for (let y = d; y < height - d; y++) {
    const y0 = y - d;
    const y1 = y + d + 1;
    for (let x = d; x < width - d; x++) {
      const x0 = x - d;
      const x1 = x + d + 1;
      const count = sum[y1 * w1 + x1] - sum[y0 * w1 + x1] - sum[y1 * w1 + x0] + sum[y0 * w1 + x0];
      if (count === full) out[y * width + x] = 1;
    }
  }
  return out;
}

/** The inner boundary band of a binary mask: the mask minus its erosion by d. */
export function boundaryBand(mask: Uint8Array, width: number, height: number, d: number): Uint8Array {
  const eroded = erode(mask, width, height, d);
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) out[i] = mask[i] !== 0 && eroded[i] === 0 ? 1 : 0;
  return out;
}

/**
 * Boundary IoU (Cheng, Girshick, Dollár, Berg and Kirillov, CVPR 2021): the
 * IoU of the two masks' inner bands of width d = `ratio` x the diagonal.
 * Unlike mask IoU it does not grow with the object's interior, so it rewards
 * edges that follow the true outline.
 */
export function boundaryIou(pred: AlphaPlane, gt: AlphaPlane, ratio = 0.03, threshold = 0.5): number {
  sameSize(pred, gt);
  const { width, height } = gt;
  const d = boundaryWidth(width, height, ratio);
  const bp = boundaryBand(binarize(pred.data, threshold), width, height, d);
  const bg = boundaryBand(binarize(gt.data, threshold), width, height, d);
  return maskIou(bp, bg);
}

/** Sum of |pred - gt| over the region (all pixels by default), on the 0..1 scale. Divide by 1000 for the reported SAD. */
export function sumAbsDiff(pred: AlphaPlane, gt: AlphaPlane, region?: Uint8Array): number {
  sameSize(pred, gt, region);
  let s = 0;
  for (let i = 0; i < gt.data.length; i++) {
    if (region && region[i] === 0) continue;
    s += Math.abs(pred.data[i] - gt.data[i]);
  }
  return s;
}

/** SAD as reported in the matting literature: sum of absolute alpha differences (0..1 scale) / 1000. */
export function sad(pred: AlphaPlane, gt: AlphaPlane, region?: Uint8Array): number {
  return sumAbsDiff(pred, gt, region) / 1000;
}

/** Mean absolute alpha error over the region (0..1 scale); 0 for an empty region. */
export function mae(pred: AlphaPlane, gt: AlphaPlane, region?: Uint8Array): number {
  const n = countRegion(gt.data.length, region);
  return n === 0 ? 0 : sumAbsDiff(pred, gt, region) / n;
}

/** Mean squared alpha error over the region (0..1 scale); 0 for an empty region. */
export function mse(pred: AlphaPlane, gt: AlphaPlane, region?: Uint8Array): number {
  sameSize(pred, gt, region);
  let s = 0;
  let n = 0;
  for (let i = 0; i < gt.data.length; i++) {
    if (region && region[i] === 0) continue;
    const d = pred.data[i] - gt.data[i];
    s += d * d;
    n++;
  }
  return n === 0 ? 0 : s / n;
}

/**
 * 1-D factors of the Gaussian first-derivative filter of the matting
 * benchmark's reference code (Rhemann et al. 2009; Xu et al., Deep Image
 * Matting 2017, `gaussgradient`): half size ceil(sigma*sqrt(-2 ln(sqrt(2 pi)
 * sigma 0.01))) (4 for sigma 1.4), the 2-D kernel g(y)*g'(x) scaled to unit
 * L2 norm. Separable, so each factor is scaled to unit norm on its own.
 */
export function gaussianDerivativeKernels(sigma = 1.4): { smooth: Float64Array; derivative: Float64Array; half: number } {
  const half = Math.ceil(sigma * Math.sqrt(-2 * Math.log(Math.sqrt(2 * Math.PI) * sigma * 0.01)));
  const size = 2 * half + 1;
  const smooth = new Float64Array(size);
  const derivative = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const u = i - half;
    const g = Math.exp(-(u * u) / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
    smooth[i] = g;
    // dG/du; applied as a true convolution (as imfilter 'conv'), so a rising ramp gives a positive response.
    derivative[i] = (-u * g) / (sigma * sigma);
  }
  normalize(smooth);
  normalize(derivative);
  return { smooth, derivative, half };
}

/** |grad alpha| with the Gaussian-derivative filters above, borders replicated. */
export function gradientMagnitude(alpha: AlphaPlane, sigma = 1.4): Float32Array {
  const { width, height, data } = alpha;
  const { smooth, derivative, half } = gaussianDerivativeKernels(sigma);
  // gx = derivative along x of (smooth along y); gy symmetric.
  const sy = convolve(data, width, height, smooth, half, "y");
  const gx = convolve(sy, width, height, derivative, half, "x");
  const sx = convolve(data, width, height, smooth, half, "x");
  const gy = convolve(sx, width, height, derivative, half, "y");
  const out = new Float32Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = Math.sqrt(gx[i] * gx[i] + gy[i] * gy[i]);
  return out;
}

/**
 * Gradient error as in the matting literature (Rhemann et al. 2009, and the
 * Deep Image Matting evaluation code): the sum over the region of
 * (|grad pred| - |grad gt|)^2, gradients by Gaussian-derivative filters with
 * sigma 1.4 on alpha in 0..1, divided by 1000.
 */
export function gradientError(pred: AlphaPlane, gt: AlphaPlane, region?: Uint8Array, sigma = 1.4): number {
  sameSize(pred, gt, region);
  const gp = gradientMagnitude(pred, sigma);
  const gg = gradientMagnitude(gt, sigma);
  let s = 0;
  for (let i = 0; i < gp.length; i++) {
    if (region && region[i] === 0) continue;
    const d = gp[i] - gg[i];
    s += d * d;
  }
  return s / 1000;
}

/** Every whole-image metric of one prediction against its ground truth. */
export interface ImageScores {
  iou: number;
  boundaryIou: number;
  mae: number;
  sad: number;
  grad: number;
}

export function scoreImage(pred: AlphaPlane, gt: AlphaPlane): ImageScores {
  return {
    iou: iou(pred, gt),
    boundaryIou: boundaryIou(pred, gt),
    mae: mae(pred, gt),
    sad: sad(pred, gt),
    grad: gradientError(pred, gt),
  };
}

/** The matting metrics inside a region (the trimap's unknown pixels). */
export interface RegionScores {
  sad: number;
  mse: number;
  grad: number;
}

export function scoreRegion(pred: AlphaPlane, gt: AlphaPlane, region: Uint8Array): RegionScores {
  return { sad: sad(pred, gt, region), mse: mse(pred, gt, region), grad: gradientError(pred, gt, region) };
}

/** Means of each numeric field over a list of score objects. */
export function meanOf<T extends object>(rows: T[]): T {
  const out: Record<string, number> = {};
  if (rows.length === 0) return out as T;
  for (const key of Object.keys(rows[0])) {
    let s = 0;
    for (const r of rows) s += (r as Record<string, number>)[key];
    out[key] = s / rows.length;
  }
  return out as T;
}

function convolve(src: Float32Array, width: number, height: number, k: Float64Array, half: number, axis: "x" | "y"): Float32Array {
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (let t = -half; t <= half; t++) {
        // out(p) = sum_t k(t) * src(p - t): a true convolution, borders replicated.
        if (axis === "x") {
          const xx = Math.min(width - 1, Math.max(0, x - t));
          s += k[t + half] * src[y * width + xx];
        } else {
          const yy = Math.min(height - 1, Math.max(0, y - t));
          s += k[t + half] * src[yy * width + x];
        }
      }
      out[y * width + x] = s;
    }
  }
  return out;
}

function normalize(v: Float64Array): void {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s);
  for (let i = 0; i < v.length; i++) v[i] /= n;
}

function countRegion(n: number, region?: Uint8Array): number {
  if (!region) return n;
  let c = 0;
  for (let i = 0; i < region.length; i++) if (region[i] !== 0) c++;
  return c;
}

function sameLength(a: Uint8Array, b: Uint8Array): void {
  if (a.length !== b.length) throw new RangeError(`masks differ in size: ${a.length} vs ${b.length} pixels`);
}

function sameSize(a: AlphaPlane, b: AlphaPlane, region?: Uint8Array): void {
  if (a.width !== b.width || a.height !== b.height)
    throw new RangeError(`planes differ in size: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  if (region && region.length !== b.width * b.height)
    throw new RangeError(`region has ${region.length} pixels, expected ${b.width}x${b.height}`);
}
