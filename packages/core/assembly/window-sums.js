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
 * (f32). `acc` holds `terms` f64.
 */
function slideRow(line, terms, w, r, from, to, out, acc) {
    memory.fill(acc, 0, terms << 3);
    let o = 0;
    // Position x + r enters and x - r - 1 leaves.
    for (let x = -r; x < to; x++) {
        const e = x + r;
        const l = x - r - 1;
        for (let t = 0; t < terms; t++) {
            let s = (0, memory_1.getF64)(acc, t);
            if (e < w)
                s += (0, memory_1.getF32)(line, e * terms + t);
            if (l >= 0)
                s -= (0, memory_1.getF32)(line, l * terms + t);
            (0, memory_1.setF64)(acc, t, s);
            if (x >= from)
                (0, memory_1.setF32)(out, o + t, s);
        }
        if (x >= from)
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
/** Moves the column sums down a row: row `enter` comes in and row `leave` goes out (count f32 each). */
function slideColumns(sums, enter, leave, count) {
    for (let i = 0; i < count; i++)
        (0, memory_1.setF64)(sums, i, (0, memory_1.getF64)(sums, i) + (0, memory_1.getF32)(enter, i) - (0, memory_1.getF32)(leave, i));
}
