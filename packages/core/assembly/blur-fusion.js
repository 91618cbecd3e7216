"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.fusionWorkBytes = fusionWorkBytes;
exports.fuseRect = fuseRect;
// One Blur-Fusion pass over one rectangle (see src/matte/blur-fusion.ts, which
// stages the rectangle's window in and the estimate out).
const memory_1 = require("./memory");
const window_sums_1 = require("./window-sums");
/** Per pixel: alpha, F * alpha for R, G, B, then B * (1 - alpha) for R, G, B. */
const TERMS = 7;
/** Bytes of working memory fuseRect needs for a window of windowWidth x windowHeight around a rectWidth-wide rectangle. */
function fusionWorkBytes(windowWidth, windowHeight, rectWidth, firstColumns) {
    const line = windowWidth * TERMS * 4;
    const rows = rectWidth * TERMS * (windowHeight + 1) * 4;
    const sums = rectWidth * TERMS * 8;
    const across = rectWidth * 8;
    const column = firstColumns * 6 * 8;
    const acc = TERMS * 8;
    return line + rows + sums + across + column + acc;
}
/**
 * Alpha-weighted box blurs of the previous foreground and background
 * estimates over rectangle [rx0, rx1) x [ry0, ry1) of a width x height image,
 * then the foreground corrected towards the photo's colour, into the six
 * image-sized planes F0, F1, F2, B0, B1, B2 (one after another at `out`).
 *
 * `alpha` is the image's (f32); `colours` its pixels: bytes with `channels`
 * per pixel when colourBytes, else three f32, multiplied by `scale`. The
 * terms are the photo's own colours for both the foreground and the
 * background (the large pass), or, when `upsampled`, the large pass's
 * estimate blended up to this size (the small pass): its six planes at
 * `first`, firstWidth wide, firstPlane values each, read through the
 * bilinear weights xs0, xs1, xw (per column) and ys0, ys1, yw (per row).
 */
function fuseRect(upsampled, width, height, r, rx0, ry0, rx1, ry1, alpha, colours, colourBytes, channels, scale, first, firstWidth, firstPlane, xs0, xs1, xw, ys0, ys1, yw, out, work) {
    const wx0 = max(0, rx0 - r);
    const wy0 = max(0, ry0 - r);
    const wx1 = min(width, rx1 + r);
    const wy1 = min(height, ry1 + r);
    const windowWidth = wx1 - wx0;
    const rectWidth = rx1 - rx0;
    const c0 = upsampled ? load(xs0 + (wx0 << 2)) : 0;
    const stride = rectWidth * TERMS;
    const zeros = (wy1 - wy0) * stride;
    const line = work;
    const rows = line + ((windowWidth * TERMS) << 2);
    const sums = rows + ((zeros + stride) << 2);
    const across = sums + (stride << 3);
    const column = across + (rectWidth << 3);
    const acc = column + ((firstWidth * 6) << 3);
    // The row of zeros past the end is read as rows that enter or leave from outside the image.
    memory.fill(rows + (zeros << 2), 0, stride << 2);
    for (let y = wy0, o = 0; y < wy1; y++, o += stride) {
        if (!upsampled)
            photoTerms(colours, alpha, y * width + wx0, windowWidth, line);
        else {
            const k = y << 2;
            const r0 = load(ys0 + k) * firstWidth;
            const r1 = load(ys1 + k) * firstWidth;
            upsampledTerms(first, firstPlane, r0, r1, (0, memory_1.getF32)(yw, y), alpha, y * width, wx0, wx1, c0, xs0, xs1, xw, column, line);
        }
        (0, window_sums_1.slideRow)(line, TERMS, windowWidth, r, rx0 - wx0, rx1 - wx0, rows + (o << 2), acc);
    }
    sumColumns(rows, zeros, sums, across, width, height, r, rx0, ry0, rx1, ry1, wy0, alpha, colours, colourBytes, channels, scale, out);
}
/** The large pass's terms for one window row starting at `at`. */
function photoTerms(colours, alpha, at, n, out) {
    for (let i = at, o = 0; i < at + n; i++, o += TERMS) {
        const a = (0, memory_1.getF32)(alpha, i);
        (0, memory_1.setF32)(out, o, a);
        for (let c = 0; c < 3; c++) {
            const v = (0, memory_1.getF32)(colours, i * 3 + c);
            (0, memory_1.setF32)(out, o + 1 + c, v * a);
            (0, memory_1.setF32)(out, o + 4 + c, v * (1 - a));
        }
    }
}
/**
 * The small pass's terms for window columns [x0, x1) of the row starting at
 * `row`: the large pass's estimate blended down to the row (its rows r0 and
 * r1, weight wy) from its column c0 on, then along the row.
 */
function upsampledTerms(first, firstPlane, r0, r1, wy, alpha, row, x0, x1, c0, xs0, xs1, xw, column, out) {
    const c1 = load(xs1 + ((x1 - 1) << 2));
    for (let k = 0; k < 6; k++) {
        const p = k * firstPlane;
        for (let c = c0, o = k; c <= c1; c++, o += 6) {
            const top = (0, memory_1.getF32)(first, p + r0 + c);
            (0, memory_1.setF64)(column, o, top + ((0, memory_1.getF32)(first, p + r1 + c) - top) * wy);
        }
    }
    for (let x = x0, o = 0; x < x1; x++, o += TERMS) {
        const a = (0, memory_1.getF32)(alpha, row + x);
        const j0 = (load(xs0 + (x << 2)) - c0) * 6;
        const j1 = (load(xs1 + (x << 2)) - c0) * 6;
        const wx = (0, memory_1.getF32)(xw, x);
        (0, memory_1.setF32)(out, o, a);
        for (let c = 0; c < 3; c++) {
            const f = (0, memory_1.getF64)(column, j0 + c);
            (0, memory_1.setF32)(out, o + 1 + c, (f + ((0, memory_1.getF64)(column, j1 + c) - f) * wx) * a);
        }
        for (let c = 3; c < 6; c++) {
            const b = (0, memory_1.getF64)(column, j0 + c);
            (0, memory_1.setF32)(out, o + 1 + c, (b + ((0, memory_1.getF64)(column, j1 + c) - b) * wx) * (1 - a));
        }
    }
}
/** Sums the row sums down the window and writes the rectangle's estimates. */
function sumColumns(rows, zeros, sums, across, width, height, r, rx0, ry0, rx1, ry1, wy0, alpha, colours, colourBytes, channels, scale, out) {
    const rectWidth = rx1 - rx0;
    const stride = rectWidth * TERMS;
    const plane = width * height;
    for (let x = rx0; x < rx1; x++)
        (0, memory_1.setF64)(across, x - rx0, (0, memory_1.windowInverse)(x, r, width));
    // Rows before the first one's window is complete; then, per row, row y + r enters and row y - r - 1 leaves.
    (0, window_sums_1.startColumns)(sums, rows, stride, min(height, ry0 + r) - wy0);
    const colourStride = colourBytes ? channels : 3;
    for (let y = ry0; y < ry1; y++) {
        const e = y + r < height ? (y + r - wy0) * stride : zeros;
        const l = y - r - 1 >= wy0 ? (y - r - 1 - wy0) * stride : zeros;
        (0, window_sums_1.slideColumns)(sums, rows + (e << 2), rows + (l << 2), stride);
        const down = (0, memory_1.windowInverse)(y, r, height);
        for (let x = 0, i = y * width + rx0, o = 0; o < stride; x++, i++, o += TERMS) {
            const t0 = (0, memory_1.getF64)(sums, o);
            const t1 = (0, memory_1.getF64)(sums, o + 1);
            const t2 = (0, memory_1.getF64)(sums, o + 2);
            const t3 = (0, memory_1.getF64)(sums, o + 3);
            const t4 = (0, memory_1.getF64)(sums, o + 4);
            const t5 = (0, memory_1.getF64)(sums, o + 5);
            const t6 = (0, memory_1.getF64)(sums, o + 6);
            const n = (0, memory_1.getF64)(across, x) * down;
            const ba = t0 * n;
            // n / (ba + 1e-5) and n / (1 - ba + 1e-5), with one division.
            const under = ba + 1e-5;
            const over = 1 - ba + 1e-5;
            const d = n / (under * over);
            const toF = over * d;
            const toB = under * d;
            const a = (0, memory_1.getF32)(alpha, i);
            const j = i * colourStride;
            const f0 = t1 * toF;
            const f1 = t2 * toF;
            const f2 = t3 * toF;
            const b0 = t4 * toB;
            const b1 = t5 * toB;
            const b2 = t6 * toB;
            const i0 = colourBytes ? (0, memory_1.getU8)(colours, j) : (0, memory_1.getF32)(colours, j);
            const i1 = colourBytes ? (0, memory_1.getU8)(colours, j + 1) : (0, memory_1.getF32)(colours, j + 1);
            const i2 = colourBytes ? (0, memory_1.getU8)(colours, j + 2) : (0, memory_1.getF32)(colours, j + 2);
            // F + a (I - a F - (1 - a) B): the foreground moved to explain the photo's colour.
            (0, memory_1.setF32)(out, i, unit(f0 + a * (i0 * scale - a * f0 - (1 - a) * b0)));
            (0, memory_1.setF32)(out, i + plane, unit(f1 + a * (i1 * scale - a * f1 - (1 - a) * b1)));
            (0, memory_1.setF32)(out, i + 2 * plane, unit(f2 + a * (i2 * scale - a * f2 - (1 - a) * b2)));
            (0, memory_1.setF32)(out, i + 3 * plane, b0);
            (0, memory_1.setF32)(out, i + 4 * plane, b1);
            (0, memory_1.setF32)(out, i + 5 * plane, b2);
        }
    }
}
function unit(v) {
    return min(max(v, 0), 1);
}
