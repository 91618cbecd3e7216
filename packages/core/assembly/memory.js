"use strict";
// Typed loads and stores at element indices. Every kernel keeps JavaScript's
// arithmetic: values are f64 in flight and rounded to f32 only where the
// TypeScript engine stored them in a Float32Array, so results match to the bit.
Object.defineProperty(exports, "__esModule", { value: true });
exports.getF32 = getF32;
exports.setF32 = setF32;
exports.getF64 = getF64;
exports.setF64 = setF64;
exports.getU8 = getU8;
exports.windowInverse = windowInverse;
function getF32(base, i) {
    return load(base + (i << 2));
}
function setF32(base, i, v) {
    store(base + (i << 2), v);
}
function getF64(base, i) {
    return load(base + (i << 3));
}
function setF64(base, i, v) {
    store(base + (i << 3), v);
}
function getU8(base, i) {
    return load(base + i);
}
/** 1 / the number of pixels in the window [i - r, i + r] cut to [0, size). */
function windowInverse(i, r, size) {
    return 1.0 / (min(i + r, size - 1) - max(i - r, 0) + 1);
}
