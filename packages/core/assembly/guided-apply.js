"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.pixelLevels = pixelLevels;
exports.settleBlocks = settleBlocks;
exports.applyRow = applyRow;
exports.fillCells = fillCells;
// Evaluating fitted guided-filter coefficients (see src/matte/guided-filter.ts):
// which blocks are settled, and the 8-bit alpha of an image row.
const memory_1 = require("./memory");
// The constants come from src/matte/guided-filter.ts, as arguments: `snap`
// (its SNAP: alpha within it of 0 or 1 goes there) and `unsettled` (its
// UNSETTLED: a block whose pixels must be evaluated one by one).
/** The 8-bit alpha for a filter output q: snapped near 0 and 1, rounded, clamped. */
function toAlpha(q, snap) {
    const s = (q - snap) * (1 / (1 - 2 * snap));
    return s <= 0 ? 0 : s >= 1 ? 255 : (s * 255 + 0.5);
}
/** The 8-bit output shared by every colour at coefficients [start, end): 0, 255, or UNSETTLED, into `level` (u16). */
function pixelLevels(aR, aG, aB, b, level, start, end, snap, unsettled) {
    for (let i = start; i < end; i++) {
        const r = (0, memory_1.getF32)(aR, i);
        const g = (0, memory_1.getF32)(aG, i);
        const bl = (0, memory_1.getF32)(aB, i);
        let lo = (0, memory_1.getF32)(b, i);
        let hi = lo;
        // Cells the fit skipped have no colour weights: their output is b itself.
        if (r !== 0 || g !== 0 || bl !== 0) {
            lo += (r < 0 ? r : 0) + (g < 0 ? g : 0) + (bl < 0 ? bl : 0);
            hi += (r > 0 ? r : 0) + (g > 0 ? g : 0) + (bl > 0 ? bl : 0);
        }
        // toAlpha never decreases: the whole range is 0 when its top is, 255 when its bottom is.
        store(level + (i << 1), toAlpha(hi, snap) === 0 ? 0 : toAlpha(lo, snap) === 255 ? 255 : unsettled);
    }
}
/** Per block: its level where it and its right, lower and diagonal neighbours share it, else `unsettled`. */
function settleBlocks(level, out, width, height, unsettled) {
    for (let y = 0; y < height; y++) {
        const row = y * width;
        const below = min(y + 1, height - 1) * width;
        for (let x = 0; x < width; x++) {
            const x1 = x + 1 < width ? x + 1 : x;
            const v = load(level + ((row + x) << 1));
            const same = v === load(level + ((row + x1) << 1)) &&
                v === load(level + ((below + x) << 1)) &&
                v === load(level + ((below + x1) << 1));
            store(out + ((row + x) << 1), same ? v : unsettled);
        }
    }
}
/**
 * One output row of applyGuidedFilter: the coefficients blended between
 * coefficient rows r0 and r1 (weight wy) and along the row (xs0, xs1, xw per
 * output column; the first column each coefficient column reaches in
 * columnStart), evaluated on the row's pixels `px` into the bytes at `out`.
 * Runs of columns whose blocks are settled (in row r0 of `settled`) are filled
 * without evaluation. Each run is recorded at `runs` as (x0, x1, level or
 * `unsettled`); returns how many.
 */
function applyRow(aR, aG, aB, b, settled, cw, r0, r1, wy, xs0, xs1, xw, columnStart, px, channels, out, runs, blended, snap, unsettled) {
    const k = 1.0 / 255.0;
    let count = 0;
    for (let c = 0; c < cw;) {
        const known = load(settled + ((r0 + c) << 1));
        let c1 = c + 1;
        while (c1 < cw && load(settled + ((r0 + c1) << 1)) === known)
            c1++;
        const x0 = load(columnStart + (c << 2));
        const x1 = load(columnStart + (c1 << 2));
        if (x0 < x1 && known !== unsettled)
            memory.fill(out + x0, known, (x1 - x0));
        else if (x0 < x1) {
            // Blended down to the row, interleaved per column: each is then read by the several pixels between two columns.
            const last = load(xs1 + ((x1 - 1) << 2));
            for (let i = c, v = c * 4; i <= last; i++, v += 4) {
                const p = r0 + i;
                const q = r1 + i;
                (0, memory_1.setF64)(blended, v, (0, memory_1.getF32)(aR, p) + ((0, memory_1.getF32)(aR, q) - (0, memory_1.getF32)(aR, p)) * wy);
                (0, memory_1.setF64)(blended, v + 1, (0, memory_1.getF32)(aG, p) + ((0, memory_1.getF32)(aG, q) - (0, memory_1.getF32)(aG, p)) * wy);
                (0, memory_1.setF64)(blended, v + 2, (0, memory_1.getF32)(aB, p) + ((0, memory_1.getF32)(aB, q) - (0, memory_1.getF32)(aB, p)) * wy);
                (0, memory_1.setF64)(blended, v + 3, (0, memory_1.getF32)(b, p) + ((0, memory_1.getF32)(b, q) - (0, memory_1.getF32)(b, p)) * wy);
            }
            for (let x = x0, j = x0 * channels; x < x1; x++, j += channels) {
                const wx = (0, memory_1.getF32)(xw, x);
                const v0 = load(xs0 + (x << 2)) * 4;
                const v1 = load(xs1 + (x << 2)) * 4;
                const cr = (0, memory_1.getF64)(blended, v0) + ((0, memory_1.getF64)(blended, v1) - (0, memory_1.getF64)(blended, v0)) * wx;
                const cg = (0, memory_1.getF64)(blended, v0 + 1) + ((0, memory_1.getF64)(blended, v1 + 1) - (0, memory_1.getF64)(blended, v0 + 1)) * wx;
                const cbl = (0, memory_1.getF64)(blended, v0 + 2) + ((0, memory_1.getF64)(blended, v1 + 2) - (0, memory_1.getF64)(blended, v0 + 2)) * wx;
                const cb = (0, memory_1.getF64)(blended, v0 + 3) + ((0, memory_1.getF64)(blended, v1 + 3) - (0, memory_1.getF64)(blended, v0 + 3)) * wx;
                store(out + x, toAlpha((cr * (0, memory_1.getU8)(px, j) + cg * (0, memory_1.getU8)(px, j + 1) + cbl * (0, memory_1.getU8)(px, j + 2)) * k + cb, snap));
            }
        }
        if (x0 < x1) {
            const at = runs + count * 12;
            store(at, x0);
            store(at, x1, 4);
            store(at, known, 8);
            count++;
        }
        c = c1;
    }
    return count;
}
/**
 * Writes the cells the fit settles without fitting: per cell (levels, one
 * i8 a cell, row-major, `columns` a row; cellWidth x cellHeight pixels), b = 1
 * where the level is 1 (the planes are zero already), and into `level` (u16
 * per pixel) 255, 0 or `unsettled` for levels 1, 0 and -1.
 */
function fillCells(levels, columns, cellWidth, cellHeight, width, height, b, level, unsettled) {
    const rows = (height + cellHeight - 1) / cellHeight;
    for (let row = 0; row < rows; row++) {
        for (let column = 0; column < columns; column++) {
            const v = load(levels + (row * columns + column));
            const x0 = column * cellWidth;
            const x1 = min(x0 + cellWidth, width);
            const out = v === 1 ? 255 : v === 0 ? 0 : unsettled;
            for (let y = row * cellHeight; y < min((row + 1) * cellHeight, height); y++) {
                for (let i = y * width + x0; i < y * width + x1; i++) {
                    if (v === 1)
                        store(b + (i << 2), 1);
                    store(level + (i << 1), out);
                }
            }
        }
    }
}
