"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.windowWorkBytes = windowWorkBytes;
exports.fitWindow = fitWindow;
// The colour guided filter's fit over one rectangle (see src/matte/guided-window.ts,
// which stages the rectangle's reach in and the coefficients out).
const memory_1 = require("./memory");
const window_sums_1 = require("./window-sums");
/** Per pixel: the sums of R, G, B, p, Rp, Gp, Bp, RR, RG, RB, GG, GB, BB over its window. */
const MOMENTS = 13;
/**
 * Bytes of working memory fitWindow needs for a rectangle whose inner area
 * (the rectangle grown by r) is innerWidth x innerHeight, read from reachHeight
 * rows, and whose own width is rectWidth.
 */
function windowWorkBytes(innerWidth, innerHeight, reachHeight, rectWidth) {
    const rows = innerWidth * MOMENTS * (reachHeight + 1) * 4;
    const sums = innerWidth * MOMENTS * 8;
    const line = innerWidth * 4 * 4;
    const smooth = rectWidth * 4 * (innerHeight + 1) * 4;
    const across = innerWidth * 8;
    const acc = 4 * 8;
    return rows + sums + line + smooth + across + acc;
}
/**
 * Fits matte p against the guide's colours over rectangle [rx0, rx1) x [ry0, ry1)
 * of a width x height image and writes its smoothed coefficients into the
 * image-sized planes aR, aG, aB and b (one after another at `out`). p is the
 * whole matte (f32); the guide (channels bytes a pixel) holds the rectangle
 * grown by 2r and cut to the image, from (gx0, gy0), stride pixels a row.
 * Coefficients are needed r pixels around the rectangle, for the second box;
 * moments r beyond that.
 */
function fitWindow(guide, p, channels, gx0, gy0, stride, width, height, r, eps, rx0, ry0, rx1, ry1, out, work) {
    const ix0 = max(0, rx0 - r);
    const iy0 = max(0, ry0 - r);
    const ix1 = min(width, rx1 + r);
    const iy1 = min(height, ry1 + r);
    const qy1 = min(height, iy1 + r);
    const innerWidth = ix1 - ix0;
    const rectWidth = rx1 - rx0;
    const rows = work;
    const rowStride = innerWidth * MOMENTS;
    const rowZeros = (qy1 - gy0) * rowStride;
    const sums = rows + ((rowZeros + rowStride) << 2);
    const line = sums + (rowStride << 3);
    const smooth = line + (innerWidth << 4);
    const smoothStride = rectWidth * 4;
    const smoothZeros = (iy1 - iy0) * smoothStride;
    const across = smooth + ((smoothZeros + smoothStride) << 2);
    const acc = across + (innerWidth << 3);
    // The rows of zeros past the ends are read as rows that enter or leave from outside the image.
    memory.fill(rows + (rowZeros << 2), 0, rowStride << 2);
    memory.fill(smooth + (smoothZeros << 2), 0, smoothStride << 2);
    sumRows(guide, p, channels, gx0, gy0, stride, width, r, ix0, ix1, qy1, rows);
    for (let x = ix0; x < ix1; x++)
        (0, memory_1.setF64)(across, x - ix0, (0, memory_1.windowInverse)(x, r, width));
    let q = 0;
    // Rows before the first one's window is complete; then, per row, row y + r enters and row y - r - 1 leaves.
    (0, window_sums_1.startColumns)(sums, rows, rowStride, min(height, iy0 + r) - gy0);
    for (let y = iy0; y < iy1; y++) {
        const e = y + r < height ? (y + r - gy0) * rowStride : rowZeros;
        const l = y - r - 1 >= gy0 ? (y - r - 1 - gy0) * rowStride : rowZeros;
        (0, window_sums_1.slideColumns)(sums, rows + (e << 2), rows + (l << 2), rowStride);
        solveRow(sums, across, (0, memory_1.windowInverse)(y, r, height), rowStride, eps, line);
        (0, window_sums_1.slideRow)(line, 4, innerWidth, r, rx0 - ix0, rx1 - ix0, smooth + (q << 2), acc);
        q += smoothStride;
    }
    sumColumns(smooth, smoothZeros, sums, across, width, height, r, rx0, ry0, rx1, ry1, iy0, out);
}
/** Each row of the reach, summed over [x - r, x + r] (cut to the image) for every column x of [ix0, ix1). */
function sumRows(guide, p, channels, gx0, gy0, stride, width, r, ix0, ix1, qy1, out) {
    const k = 1.0 / 255.0;
    // Pixels enter at x + r and leave at x - r - 1; none leaves before the first one entered.
    const firstIn = max(0, ix0 - r);
    let o = 0;
    for (let y = gy0; y < qy1; y++) {
        const row = (y - gy0) * stride - gx0;
        const pRow = y * width;
        let sR = 0;
        let sG = 0;
        let sB = 0;
        let sP = 0;
        let sRP = 0;
        let sGP = 0;
        let sBP = 0;
        let sRR = 0;
        let sRG = 0;
        let sRB = 0;
        let sGG = 0;
        let sGB = 0;
        let sBB = 0;
        for (let x = ix0 - 2 * r; x < ix1; x++) {
            const e = x + r;
            const l = x - r - 1;
            let Re = 0;
            let Ge = 0;
            let Be = 0;
            let Pe = 0;
            let Rl = 0;
            let Gl = 0;
            let Bl = 0;
            let Pl = 0;
            if (e >= 0 && e < width) {
                const j = (row + e) * channels;
                Re = (0, memory_1.getU8)(guide, j) * k;
                Ge = (0, memory_1.getU8)(guide, j + 1) * k;
                Be = (0, memory_1.getU8)(guide, j + 2) * k;
                Pe = (0, memory_1.getF32)(p, pRow + e);
            }
            if (l >= firstIn) {
                const j = (row + l) * channels;
                Rl = (0, memory_1.getU8)(guide, j) * k;
                Gl = (0, memory_1.getU8)(guide, j + 1) * k;
                Bl = (0, memory_1.getU8)(guide, j + 2) * k;
                Pl = (0, memory_1.getF32)(p, pRow + l);
            }
            sR += Re - Rl;
            sG += Ge - Gl;
            sB += Be - Bl;
            sP += Pe - Pl;
            sRP += Re * Pe - Rl * Pl;
            sGP += Ge * Pe - Gl * Pl;
            sBP += Be * Pe - Bl * Pl;
            sRR += Re * Re - Rl * Rl;
            sRG += Re * Ge - Rl * Gl;
            sRB += Re * Be - Rl * Bl;
            sGG += Ge * Ge - Gl * Gl;
            sGB += Ge * Be - Gl * Bl;
            sBB += Be * Be - Bl * Bl;
            if (x < ix0)
                continue;
            (0, memory_1.setF32)(out, o, sR);
            (0, memory_1.setF32)(out, o + 1, sG);
            (0, memory_1.setF32)(out, o + 2, sB);
            (0, memory_1.setF32)(out, o + 3, sP);
            (0, memory_1.setF32)(out, o + 4, sRP);
            (0, memory_1.setF32)(out, o + 5, sGP);
            (0, memory_1.setF32)(out, o + 6, sBP);
            (0, memory_1.setF32)(out, o + 7, sRR);
            (0, memory_1.setF32)(out, o + 8, sRG);
            (0, memory_1.setF32)(out, o + 9, sRB);
            (0, memory_1.setF32)(out, o + 10, sGG);
            (0, memory_1.setF32)(out, o + 11, sGB);
            (0, memory_1.setF32)(out, o + 12, sBB);
            o += MOMENTS;
        }
    }
}
/** Solves, per column, the ridge regression of p on the colour from the window sums of the moments, into `line`. */
function solveRow(sums, across, down, rowStride, eps, line) {
    for (let x = 0, o = 0, q = 0; o < rowStride; x++, o += MOMENTS, q += 4) {
        const n = (0, memory_1.getF64)(across, x) * down;
        const s0 = (0, memory_1.getF64)(sums, o);
        const s1 = (0, memory_1.getF64)(sums, o + 1);
        const s2 = (0, memory_1.getF64)(sums, o + 2);
        const s3 = (0, memory_1.getF64)(sums, o + 3);
        const s4 = (0, memory_1.getF64)(sums, o + 4);
        const s5 = (0, memory_1.getF64)(sums, o + 5);
        const s6 = (0, memory_1.getF64)(sums, o + 6);
        const s7 = (0, memory_1.getF64)(sums, o + 7);
        const s8 = (0, memory_1.getF64)(sums, o + 8);
        const s9 = (0, memory_1.getF64)(sums, o + 9);
        const s10 = (0, memory_1.getF64)(sums, o + 10);
        const s11 = (0, memory_1.getF64)(sums, o + 11);
        const s12 = (0, memory_1.getF64)(sums, o + 12);
        const mr = s0 * n;
        const mg = s1 * n;
        const mb = s2 * n;
        const mp = s3 * n;
        // Covariance of the guide (regularised by eps) and of guide with matte.
        const cr = s4 * n - mr * mp;
        const cg = s5 * n - mg * mp;
        const cb = s6 * n - mb * mp;
        const srr = s7 * n - mr * mr + eps;
        const srg = s8 * n - mr * mg;
        const srb = s9 * n - mr * mb;
        const sgg = s10 * n - mg * mg + eps;
        const sgb = s11 * n - mg * mb;
        const sbb = s12 * n - mb * mb + eps;
        // Symmetric 3x3 inverse by cofactors.
        const i00 = sgg * sbb - sgb * sgb;
        const i01 = srb * sgb - srg * sbb;
        const i02 = srg * sgb - srb * sgg;
        const i11 = srr * sbb - srb * srb;
        const i12 = srb * srg - srr * sgb;
        const i22 = srr * sgg - srg * srg;
        const inv = 1.0 / (srr * i00 + srg * i01 + srb * i02);
        const ar = (i00 * cr + i01 * cg + i02 * cb) * inv;
        const ag = (i01 * cr + i11 * cg + i12 * cb) * inv;
        const ab = (i02 * cr + i12 * cg + i22 * cb) * inv;
        (0, memory_1.setF32)(line, q, ar);
        (0, memory_1.setF32)(line, q + 1, ag);
        (0, memory_1.setF32)(line, q + 2, ab);
        (0, memory_1.setF32)(line, q + 3, mp - ar * mr - ag * mg - ab * mb);
    }
}
/** Sums the smoothed rows down each column and writes the rectangle's mean coefficients, plane by plane. */
function sumColumns(smooth, smoothZeros, sums, across, width, height, r, rx0, ry0, rx1, ry1, iy0, out) {
    const rectWidth = rx1 - rx0;
    const stride = rectWidth * 4;
    const plane = width * height;
    for (let x = rx0; x < rx1; x++)
        (0, memory_1.setF64)(across, x - rx0, (0, memory_1.windowInverse)(x, r, width));
    (0, window_sums_1.startColumns)(sums, smooth, stride, min(height, ry0 + r) - iy0);
    for (let y = ry0; y < ry1; y++) {
        const e = y + r < height ? (y + r - iy0) * stride : smoothZeros;
        const l = y - r - 1 >= iy0 ? (y - r - 1 - iy0) * stride : smoothZeros;
        (0, window_sums_1.slideColumns)(sums, smooth + (e << 2), smooth + (l << 2), stride);
        const down = (0, memory_1.windowInverse)(y, r, height);
        for (let i = y * width + rx0, x = 0, o = 0; o < stride; i++, x++, o += 4) {
            const n = (0, memory_1.getF64)(across, x) * down;
            (0, memory_1.setF32)(out, i, (0, memory_1.getF64)(sums, o) * n);
            (0, memory_1.setF32)(out, i + plane, (0, memory_1.getF64)(sums, o + 1) * n);
            (0, memory_1.setF32)(out, i + 2 * plane, (0, memory_1.getF64)(sums, o + 2) * n);
            (0, memory_1.setF32)(out, i + 3 * plane, (0, memory_1.getF64)(sums, o + 3) * n);
        }
    }
}
