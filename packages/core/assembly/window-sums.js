"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.slideRow = slideRow;
exports.startColumns = startColumns;
exports.slideColumns = slideColumns;
// Running box sums, shared by the guided filter's fit and Blur-Fusion: each
// pass sums `terms` values per pixel over a window, along the rows and then
// down the columns, in O(1) per pixel whatever the radius.
const memory_1 = require("./memory");
/**
 * One row of `terms` values per position (w positions at `line`, f32), summed
 * over [x - r, x + r] cut to the row, for positions [from, to), into `out`
 * (f32). `acc` holds `terms` f64. Two terms at a time in f64 lanes: the same
 * operations, in the same order, as one at a time.
 */
function slideRow(line, terms, w, r, from, to, out, acc) {
    memory.fill(acc, 0, terms << 3);
    const pairs = terms & ~1;
    let o = 0;
    // Position x + r enters and x - r - 1 leaves.
    for (let x = -r; x < to; x++) {
        const e = x + r;
        const l = x - r - 1;
        const enters = e < w;
        const leaves = l >= 0;
        const written = x >= from;
        const eAt = line + ((e * terms) << 2);
        const lAt = line + ((l * terms) << 2);
        for (let t = 0; t < pairs; t += 2) {
            const at = acc + (t << 3);
            let s = v128.load(at);
            if (enters)
                s = f64x2.add(s, f64x2.promote_low_f32x4(v128.load64_zero(eAt + (t << 2))));
            if (leaves)
                s = f64x2.sub(s, f64x2.promote_low_f32x4(v128.load64_zero(lAt + (t << 2))));
            v128.store(at, s);
            if (written)
                v128.store64_lane(out + ((o + t) << 2), f32x4.demote_f64x2_zero(s), 0);
        }
        for (let t = pairs; t < terms; t++) {
            let s = (0, memory_1.getF64)(acc, t);
            if (enters)
                s += (0, memory_1.getF32)(line, e * terms + t);
            if (leaves)
                s -= (0, memory_1.getF32)(line, l * terms + t);
            (0, memory_1.setF64)(acc, t, s);
            if (written)
                (0, memory_1.setF32)(out, o + t, s);
        }
        if (written)
            o += terms;
    }
}
/** Starts the column sums: `sums` (count f64) = the sum of the first `rows` rows at `first` (count f32 each). */
function startColumns(sums, first, count, rows) {
    memory.fill(sums, 0, count << 3);
    for (let y = 0, j = 0; y < rows; y++) {
        for (let i = 0; i < count; i++, j++)
            (0, memory_1.setF64)(sums, i, (0, memory_1.getF64)(sums, i) + (0, memory_1.getF32)(first, j));
    }
}
/**
 * Moves the column sums down a row: row `enter` comes in and row `leave` goes
 * out (count f32 each). Two sums at a time in f64 lanes: the same operations,
 * in the same order, as one at a time.
 */
function slideColumns(sums, enter, leave, count) {
    let i = 0;
    for (; i + 2 <= count; i += 2) {
        const at = sums + (i << 3);
        const e = f64x2.promote_low_f32x4(v128.load64_zero(enter + (i << 2)));
        const l = f64x2.promote_low_f32x4(v128.load64_zero(leave + (i << 2)));
        v128.store(at, f64x2.sub(f64x2.add(v128.load(at), e), l));
    }
    for (; i < count; i++)
        (0, memory_1.setF64)(sums, i, (0, memory_1.getF64)(sums, i) + (0, memory_1.getF32)(enter, i) - (0, memory_1.getF32)(leave, i));
}
