import type { GradientStop } from "../options/canonical.js";
import { toByte } from "./types.js";

/**
 * A CSS `linear-gradient(<angle>deg, stops...)` canvas, un-premultiplied RGBA.
 *
 * Geometry follows CSS: the direction is (sin a, -cos a) with y down, so 0deg
 * runs bottom to top, 90deg left to right and 180deg top to bottom; the line
 * passes through the centre and is |w sin a| + |h cos a| long, so the corners
 * it points from and to sit exactly at 0 and 1. Each pixel is sampled at its
 * centre. Stop positions that go backwards are raised to the largest earlier
 * one, as CSS does; before the first stop and after the last the colour is
 * flat. Colours are interpolated in premultiplied sRGB (as CSS does), so a
 * fade to `transparent` does not pass through grey; at a stop's position the
 * result is that stop's colour exactly.
 */
export function linearGradient(width: number, height: number, angle: number, stops: readonly GradientStop[]): Uint8Array {
  if (stops.length === 0) throw new RangeError("a gradient needs at least one stop");
  const n = stops.length;
  const at = new Float64Array(n);
  // Premultiplied colours, alpha in 0..1 and colour channels in 0..255.
  const pre = new Float64Array(n * 4);
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const s = stops[i] as GradientStop;
    last = Math.max(last, s.at);
    at[i] = last;
    const a = s.color[3] / 255;
    pre[i * 4] = s.color[0] * a;
    pre[i * 4 + 1] = s.color[1] * a;
    pre[i * 4 + 2] = s.color[2] * a;
    pre[i * 4 + 3] = a;
  }
  const rad = (angle * Math.PI) / 180;
  const dx = Math.sin(rad);
  const dy = -Math.cos(rad);
  const length = Math.abs(width * dx) + Math.abs(height * dy);
  // t = ((p - centre) . dir) / length + 0.5 is linear in x and y.
  const tx = length > 0 ? dx / length : 0;
  const ty = length > 0 ? dy / length : 0;
  const t0 = 0.5 - (width / 2 - 0.5) * tx - (height / 2 - 0.5) * ty;
  const out = new Uint8Array(width * height * 4);
  for (let y = 0, o = 0; y < height; y++) {
    for (let x = 0; x < width; x++, o += 4) {
      const t = t0 + x * tx + y * ty;
      let i = 0;
      let f = 0;
      if (t <= at[0]) f = 0;
      else if (t >= at[n - 1]) i = n - 1;
      else {
        while (t > at[i + 1]) i++;
        // at[i] < t <= at[i + 1] here, so the span is never zero.
        // Snapped to a 1e-9 grid so float noise (sin 45 != cos 45) cannot tip a half-way value across a rounding tie.
        f = Math.round(((t - at[i]) / (at[i + 1] - at[i])) * 1e9) / 1e9;
      }
      const p = i * 4;
      const q = Math.min(i + 1, n - 1) * 4;
      const a = pre[p + 3] + (pre[q + 3] - pre[p + 3]) * f;
      const alpha = toByte(a * 255);
      if (alpha === 0) continue;
      out[o] = toByte((pre[p] + (pre[q] - pre[p]) * f) / a);
      out[o + 1] = toByte((pre[p + 1] + (pre[q + 1] - pre[p + 1]) * f) / a);
      out[o + 2] = toByte((pre[p + 2] + (pre[q + 2] - pre[p + 2]) * f) / a);
      out[o + 3] = alpha;
    }
  }
  return out;
}
