import type { Box } from "../image.js";
import { foregroundBox } from "../matte/bounding-box.js";
import type { ShadowSpec } from "../options/canonical.js";
import { blurChannels, blurReach } from "./box-blur.js";
import { type Padding, toByte } from "./types.js";

/** What the shadow functions read from the options (`blur` is a CSS box-shadow blur radius: sigma = blur / 2). */
export type ShadowStyle = Pick<ShadowSpec, "color" | "opacity" | "offset" | "blur">;

/**
 * A shadow as un-premultiplied RGBA (the shadow colour, alpha = shadow
 * strength) on the subject's canvas grown by `padding`: the layer is
 * (w + left + right) x (h + top + bottom), and the subject belongs at
 * (padding.left, padding.top) on it. Padding is non-zero only on sides where
 * the shadow would otherwise be cut off.
 */
export interface ShadowLayer {
  data: Uint8Array;
  width: number;
  height: number;
  padding: Padding;
}

/** The 3D shadow's length on the image as a share of the subject's height (a low light). */
const SQUASH = 0.15;
/** How far right the 3D shadow's far end leans, as a share of the subject's height (light from the top-left). */
const LEAN = 0.35;

/**
 * remove.bg's drop shadow: the subject's alpha (one byte a pixel) shifted by
 * `offset` (rounded to pixels), blurred with sigma = blur / 2, times opacity
 * and the colour's alpha. `box` bounds the subject (default: every pixel with
 * alpha > 0) and decides the padding.
 */
export function dropShadow(
  alpha: Uint8Array,
  width: number,
  height: number,
  style: ShadowStyle,
  box: Box | null = foregroundBox(alpha, width, height, 1),
): ShadowLayer {
  if (!box) return emptyLayer(width, height);
  const dx = Math.round(style.offset[0]);
  const dy = Math.round(style.offset[1]);
  const sigma = Math.max(0, style.blur) / 2;
  const reach = blurReach(sigma);
  const padding = paddingFor(
    box.left + dx - reach,
    box.top + dy - reach,
    box.left + box.width + dx + reach,
    box.top + box.height + dy + reach,
    width,
    height,
  );
  const W = width + padding.left + padding.right;
  const H = height + padding.top + padding.bottom;
  const cover = new Float32Array(W * H);
  for (let y = 0; y < height; y++) {
    const ty = y + dy + padding.top;
    if (ty < 0 || ty >= H) continue;
    for (let x = 0; x < width; x++) {
      const tx = x + dx + padding.left;
      if (tx >= 0 && tx < W) cover[ty * W + tx] = alpha[y * width + x] / 255;
    }
  }
  blurChannels(cover, W, H, 1, sigma, "zero");
  return toLayer(cover, W, H, padding, style);
}

/**
 * The `3D` shadow: the silhouette cast on the ground behind the subject by a
 * low light at the top-left front. Each subject pixel at height t above the
 * lowest row lands at (x + 0.35 t, ground - 0.15 t), keeping the densest
 * pixel (the silhouette's union); the result is blurred with a sigma growing
 * linearly from max(0.5, s / 8) at the contact line to
 * s = max(blur / 2, 3% of the subject height) at the far end, and fades from full
 * strength at contact to 30% there. `offset` shifts the whole shadow.
 */
export function contactShadow(
  alpha: Uint8Array,
  width: number,
  height: number,
  style: ShadowStyle,
  box: Box | null = foregroundBox(alpha, width, height, 1),
): ShadowLayer {
  if (!box) return emptyLayer(width, height);
  const dx = Math.round(style.offset[0]);
  const dy = Math.round(style.offset[1]);
  const ground = box.top + box.height;
  const depth = box.height * SQUASH;
  const far = Math.max(Math.max(0, style.blur) / 2, box.height * 0.03);
  const near = Math.max(0.5, far / 8);
  // One pixel of slack on each side for the rounding of projected positions. Below the contact line only
  // the near blur applies (the far one fades in above it), so the bottom needs only the near blur's reach.
  const reach = blurReach(far) + 1;
  const padding = paddingFor(
    box.left + dx - reach,
    ground - depth + dy - reach,
    box.left + box.width + box.height * LEAN + dx + reach,
    ground + dy + blurReach(near) + 1,
    width,
    height,
  );
  const W = width + padding.left + padding.right;
  const H = height + padding.top + padding.bottom;
  const flat = new Float32Array(W * H);
  for (let y = box.top; y < ground; y++) {
    const above = ground - (y + 0.5);
    const ty = Math.floor(ground - above * SQUASH) + dy + padding.top;
    const shift = above * LEAN + dx + padding.left;
    for (let x = box.left; x < box.left + box.width; x++) {
      const a = alpha[y * width + x] / 255;
      const i = ty * W + Math.round(x + shift);
      if (a > flat[i]) flat[i] = a;
    }
  }
  const sharp = blurChannels(flat.slice(), W, H, 1, near, "zero");
  const soft = blurChannels(flat, W, H, 1, far, "zero");
  const contact = ground + dy + padding.top;
  for (let y = 0; y < H; y++) {
    const t = Math.min(1, Math.max(0, (contact - (y + 0.5)) / depth));
    const strength = 1 - 0.7 * t;
    for (let i = y * W; i < (y + 1) * W; i++) soft[i] = (sharp[i] + (soft[i] - sharp[i]) * t) * strength;
  }
  return toLayer(soft, W, H, padding, style);
}

/**
 * The `car` shadow: an ellipse under the box's bottom edge spanning 92% of
 * its width (past the wheels), 5% of its width tall, blurred with
 * max(blur / 2, 1.5% of the width), at 55% strength, plus a tight contact
 * ellipse (76% wide, between the wheels) at 90%, so it darkens towards the
 * ground. Both are centred on the bottom edge, so the part above shows
 * through under the body. `box` defaults to the engine's box (alpha >= 16).
 */
export function carShadow(
  alpha: Uint8Array,
  width: number,
  height: number,
  style: ShadowStyle,
  box: Box | null = foregroundBox(alpha, width, height),
): ShadowLayer {
  if (!box) return emptyLayer(width, height);
  const cx = box.left + box.width / 2 + Math.round(style.offset[0]);
  const cy = box.top + box.height + Math.round(style.offset[1]);
  const wide = {
    a: 0.46 * box.width,
    b: Math.max(1, 0.05 * box.width),
    sigma: Math.max(Math.max(0, style.blur) / 2, 0.015 * box.width),
    strength: 0.55,
  };
  const tight = { a: 0.38 * box.width, b: Math.max(0.5, 0.012 * box.width), sigma: Math.max(0.5, 0.004 * box.width), strength: 0.9 };
  const reach = blurReach(wide.sigma) + 1;
  const padding = paddingFor(cx - wide.a - reach, cy - wide.b - reach, cx + wide.a + reach, cy + wide.b + reach, width, height);
  const W = width + padding.left + padding.right;
  const H = height + padding.top + padding.bottom;
  const ex = cx + padding.left;
  const ey = cy + padding.top;
  const outer = blurChannels(ellipse(W, H, ex, ey, wide.a, wide.b), W, H, 1, wide.sigma, "zero");
  const inner = blurChannels(ellipse(W, H, ex, ey, tight.a, tight.b), W, H, 1, tight.sigma, "zero");
  // Two shadows over each other combine like layered tints: 1 - (1 - a)(1 - b).
  for (let i = 0; i < outer.length; i++) outer[i] = 1 - (1 - wide.strength * outer[i]) * (1 - tight.strength * inner[i]);
  return toLayer(outer, W, H, padding, style);
}

/** Anti-aliased filled ellipse; coverage from the signed distance estimate (rho² - 1) / |grad rho²|. */
function ellipse(W: number, H: number, cx: number, cy: number, a: number, b: number): Float32Array {
  const out = new Float32Array(W * H);
  for (let y = Math.max(0, Math.floor(cy - b - 1)); y < Math.min(H, Math.ceil(cy + b + 1)); y++) {
    const v = y + 0.5 - cy;
    for (let x = Math.max(0, Math.floor(cx - a - 1)); x < Math.min(W, Math.ceil(cx + a + 1)); x++) {
      const u = x + 0.5 - cx;
      const rho2 = (u * u) / (a * a) + (v * v) / (b * b);
      const grad = 2 * Math.hypot(u / (a * a), v / (b * b));
      out[y * W + x] = Math.min(1, Math.max(0, 0.5 - (rho2 - 1) / grad));
    }
  }
  return out;
}

/** Padding so the extent [x0, x1) x [y0, y1), in the subject canvas's pixels, fits. */
function paddingFor(x0: number, y0: number, x1: number, y1: number, width: number, height: number): Padding {
  return {
    top: Math.max(0, Math.ceil(-y0)),
    right: Math.max(0, Math.ceil(x1 - width)),
    bottom: Math.max(0, Math.ceil(y1 - height)),
    left: Math.max(0, Math.ceil(-x0)),
  };
}

function emptyLayer(width: number, height: number): ShadowLayer {
  return { data: new Uint8Array(width * height * 4), width, height, padding: { top: 0, right: 0, bottom: 0, left: 0 } };
}

/** Coverage (0..1) to RGBA in the shadow colour, alpha scaled by opacity and the colour's own alpha. */
function toLayer(cover: Float32Array, W: number, H: number, padding: Padding, style: ShadowStyle): ShadowLayer {
  const [r, g, b, a] = style.color;
  const gain = Math.min(1, Math.max(0, style.opacity)) * a;
  const data = new Uint8Array(W * H * 4);
  for (let i = 0, o = 0; i < W * H; i++, o += 4) {
    const alpha = toByte(cover[i] * gain);
    if (alpha === 0) continue;
    data[o] = r;
    data[o + 1] = g;
    data[o + 2] = b;
    data[o + 3] = alpha;
  }
  return { data, width: W, height: H, padding };
}
