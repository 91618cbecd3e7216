// The refinement's kernels, compiled to WebAssembly by scripts/build.mjs
// (AssemblyScript). src/wasm/kernels.ts loads them; see there for why.

export { fuseRect, fusionWorkBytes } from "./blur-fusion";
export { writeForeground } from "./foreground";
export { applyRow, fillCells, pixelLevels, settleBlocks } from "./guided-apply";
export { fitWindow, windowWorkBytes } from "./guided-window";
export { blendRows, inputRow, resampleRow } from "./input";
export { resizeRow, settledCells, shrinkColours, unitAlpha } from "./matte";
export { stretchRange, valueRange } from "./stretch";
export { slideColumns, slideRow } from "./window-sums";
