"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.writeForeground = writeForeground;
// Un-premultiplied RGBA from the photo, its alpha and the colour estimate
// (see applyForeground in src/matte/foreground.ts).
const memory_1 = require("./memory");
/**
 * One row: transparent pixels (0, 0, 0, 0), opaque ones the photo's colour,
 * soft ones F = (I - (1 - a) B) / a, faded into the smooth estimate where
 * alpha is small (where that division amplifies noise). `px` and `alpha` are
 * the row's pixels (channels bytes each) and alpha, `out` its RGBA. With
 * `count` runs at `runs` (x0, x1, level as applyRow records them), runs of
 * level 0 or 255 are written whole and the others pixel by pixel; with none,
 * pixels [x0, x1) are written pixel by pixel. The estimate's six planes (F
 * then B) are at `estimate`, `plane` values each, read through its rows r0
 * and r1 (already times its width) blended by wy, and per column xs0, xs1
 * (i32) and xw (f32). `blended` holds 6 f64 per estimate column.
 */
function writeForeground(px, channels, alpha, x0, x1, runs, count, estimate, plane, r0, r1, wy, xs0, xs1, xw, out, blended) {
    if (count === 0) {
        softRun(px, channels, alpha, x0, x1, estimate, plane, r0, r1, wy, xs0, xs1, xw, out, blended);
        return;
    }
    for (let i = 0; i < count; i++) {
        const at = runs + (i * 12);
        const a = load(at);
        const b = load(at, 4);
        const level = load(at, 8);
        if (level === 0)
            memory.fill(out + (a * 4), 0, ((b - a) * 4));
        else if (level === 255 && channels === 3)
            opaqueRun(px, a, b, out);
        else
            softRun(px, channels, alpha, a, b, estimate, plane, r0, r1, wy, xs0, xs1, xw, out, blended);
    }
}
/** Pixels [x0, x1) of an RGB row, all opaque: each the photo's colour with alpha 255, four at a time. */
function opaqueRun(px, x0, x1, out) {
    const opaque = i32x4.splat(0xff000000);
    let x = x0;
    // 16 bytes are read for 4 pixels' 12: stop while 6 pixels remain, so no read passes the run's end.
    for (; x + 6 <= x1; x += 4) {
        const rgb = v128.load(px + (x * 3));
        const rgba = i8x16.shuffle(rgb, rgb, 0, 1, 2, 0, 3, 4, 5, 0, 6, 7, 8, 0, 9, 10, 11, 0);
        v128.store(out + (x * 4), v128.or(rgba, opaque));
    }
    for (; x < x1; x++)
        store(out + (x * 4), pixelWord(px, x * 3));
}
/** An RGB pixel at byte j as one opaque little-endian RGBA word. */
function pixelWord(px, j) {
    return (load(px + j) | (load(px + (j + 1)) << 8) | (load(px + (j + 2)) << 16) | 0xff000000);
}
/** Pixels [x0, x1) one by one, as writeForeground describes; the estimate is blended down to the row once, from the first soft pixel on. */
function softRun(px, channels, alpha, x0, x1, estimate, plane, r0, r1, wy, xs0, xs1, xw, out, blended) {
    let rowBlended = false;
    for (let x = x0; x < x1; x++) {
        const j = x * channels;
        const o = (x * 4);
        const a8 = load(alpha + x);
        // Fully transparent pixels are (0, 0, 0, 0): the removed background is not kept hidden in the file.
        if (a8 === 0) {
            store(out + o, 0);
            continue;
        }
        if (a8 === 255) {
            store(out + o, pixelWord(px, j));
            continue;
        }
        // The estimate blended down to this row, from the first soft pixel on, once per run.
        if (!rowBlended) {
            const c0 = load(xs0 + (x << 2));
            const c1 = load(xs1 + ((x1 - 1) << 2));
            for (let k = 0; k < 6; k++) {
                const p = k * plane;
                for (let c = c0, v = c0 * 6 + k; c <= c1; c++, v += 6) {
                    const top = (0, memory_1.getF32)(estimate, p + r0 + c);
                    (0, memory_1.setF64)(blended, v, top + ((0, memory_1.getF32)(estimate, p + r1 + c) - top) * wy);
                }
            }
            rowBlended = true;
        }
        const v0 = load(xs0 + (x << 2)) * 6;
        const v1 = load(xs1 + (x << 2)) * 6;
        const wx = (0, memory_1.getF32)(xw, x);
        store(out + o + 3, a8);
        const a = a8 / 255;
        const trust = a >= 0.5 ? 1 : a * 2;
        for (let c = 0; c < 3; c++) {
            const b0 = (0, memory_1.getF64)(blended, v0 + 3 + c);
            const bg = (b0 + ((0, memory_1.getF64)(blended, v1 + 3 + c) - b0) * wx) * 255;
            let f = ((0, memory_1.getU8)(px, j + c) - (1 - a) * bg) / a;
            f = f < 0 ? 0 : f > 255 ? 255 : f;
            if (trust < 1) {
                const f0 = (0, memory_1.getF64)(blended, v0 + c);
                f = f * trust + (f0 + ((0, memory_1.getF64)(blended, v1 + c) - f0) * wx) * 255 * (1 - trust);
            }
            store(out + o + c, (f + 0.5));
        }
    }
}
